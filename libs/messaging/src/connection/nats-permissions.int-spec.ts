import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '@bascule/testing';
import { AckPolicy, connect, type NatsConnection } from 'nats';
import { BusClient } from '../client/bus.client';
import { ensureStreams } from '../streams';
import { busTopology } from '../topology';
import { natsCredentials } from './nats-credentials';

jest.setTimeout(60_000);

const CONFIG = join(__dirname, '..', '..', '..', '..', 'deploy', 'nats', 'bascule-nats.conf');
const USERS = ['planner', 'rollback-manager', 'schema-agent', 'data-verifier', 'api-agent', 'monitor', 'oncall'] as const;
type User = (typeof USERS)[number];
const passwordEnv = (user: User) => `BASCULE_NATS_${user.toUpperCase().replace(/-/g, '_')}_PASSWORD`;

/** deploy/nats/bascule-nats.conf on a nats-server of this test's own, with JetStream and fresh passwords. */
describe('NATS identities (deploy/nats/bascule-nats.conf on a nats-server of its own)', () => {
  // nats-server parses an environment value as config: one starting with a digit would be read as a number.
  const passwords = Object.fromEntries(USERS.map((user) => [user, `pw${randomBytes(12).toString('hex')}`])) as Record<User, string>;
  const topology = busTopology('bascule');
  const storeDir = mkdtempSync(join(tmpdir(), 'bascule-nats-'));
  let server: ChildProcess;
  let url: string;
  const open: NatsConnection[] = [];

  async function as(user: User, password = passwords[user]): Promise<NatsConnection> {
    const nc = await connect({ servers: url, maxReconnectAttempts: 0, ...natsCredentials({ NATS_USER: user, NATS_PASSWORD: password }) });
    open.push(nc);
    return nc;
  }

  beforeAll(async () => {
    const [port] = await freePorts(1);
    url = `nats://127.0.0.1:${port}`;
    const env = { ...process.env, ...Object.fromEntries(USERS.map((user) => [passwordEnv(user), passwords[user]])) };
    server = spawn('nats-server', ['-c', CONFIG, '-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (let tries = 0; !(await answers(port)); tries++) {
      if (tries > 100 || server.exitCode !== null) throw new Error(`nats-server with ${CONFIG} did not start (exit ${server.exitCode}): ${stderr.slice(-500)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The planner makes the streams, as the first service to boot would.
    await ensureStreams(await (await as('planner')).jetstreamManager(), topology);
  });

  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
    server?.kill('SIGTERM');
    await new Promise((resolve) => (server?.exitCode === null ? server.once('exit', resolve) : resolve(undefined)));
    rmSync(storeDir, { recursive: true, force: true });
  });

  const rollback = JSON.stringify({ migrationId: 'm-1', reason: 'p99 doubled', requestedBy: 'oncall' });

  it('lets the on-call identity send the rollback command and nothing else', async () => {
    const js = (await as('oncall')).jetstream();
    await expect(js.publish(topology.commandSubject('rollback'), rollback)).resolves.toMatchObject({ stream: topology.commandsStream });
    await expect(js.publish(topology.commandSubject('sql.apply'), '{"up":"DROP TABLE victim"}')).rejects.toThrow(/permissions violation/i);
    await expect(js.publish(topology.commandSubject('schema.complete'), '{}')).rejects.toThrow(/permissions violation/i);
    await expect(js.publish(topology.eventSubject('MigrationCompleted'), '{}')).rejects.toThrow(/permissions violation/i);
  });

  it('lets each service send only its own commands', async () => {
    const planner = BusClient.using(await as('planner'), topology);
    await expect(planner.sendCommand('sql.apply', { migrationId: 'm-1' })).resolves.toMatchObject({ duplicate: false });
    const schemaAgent = (await as('schema-agent')).jetstream();
    await expect(schemaAgent.publish(topology.commandSubject('sql.apply'), '{}')).rejects.toThrow(/permissions violation/i);
    await expect(schemaAgent.publish(topology.commandSubject('rollback'), rollback)).rejects.toThrow(/permissions violation/i);
    await expect(schemaAgent.publish(topology.eventSubject('SchemaStepExpanded'), '{}')).resolves.toMatchObject({ stream: topology.eventsStream });
    const rollbackManager = (await as('rollback-manager')).jetstream();
    await expect(rollbackManager.publish(topology.commandSubject('sql.revert'), '{}')).resolves.toMatchObject({ stream: topology.commandsStream });
    await expect(rollbackManager.publish(topology.commandSubject('sql.apply'), '{}')).rejects.toThrow(/permissions violation/i);
  });

  it('lets an agent do what its transport does: its durable pull consumer, fetch, ack, the relay wake', async () => {
    const planner = BusClient.using(await as('planner'), topology);
    await planner.sendCommand('schema.start', { migrationId: 'm-2' });
    const agent = await as('schema-agent');
    const jsm = await agent.jetstreamManager();
    await jsm.consumers.add(topology.commandsStream, { durable_name: 'schema-agent-schema-start', filter_subject: topology.commandSubject('schema.start'), ack_policy: AckPolicy.Explicit });
    const consumer = await agent.jetstream().consumers.get(topology.commandsStream, 'schema-agent-schema-start');
    const received: unknown[] = [];
    for await (const message of await consumer.fetch({ max_messages: 1, expires: 5000 })) {
      received.push(message.json());
      await message.ackAck();
    }
    expect(received).toEqual([{ migrationId: 'm-2' }]);
    const woken = new Promise((resolve) => agent.subscribe('bascule.relay.wake', { max: 1, callback: resolve }));
    await agent.flush();
    (await as('planner')).publish('bascule.relay.wake');
    await woken;
  });

  it('refuses a connection without credentials or with a wrong password', async () => {
    await expect(connect({ servers: url, maxReconnectAttempts: 0 })).rejects.toThrow(/authorization/i);
    await expect(as('oncall', 'not-the-password')).rejects.toThrow(/authorization/i);
  });

  it('takes credentials from NATS_CREDS or NATS_USER + NATS_PASSWORD, and refuses a half or double setting by name', () => {
    expect(natsCredentials({})).toEqual({});
    expect(natsCredentials({ NATS_USER: 'oncall', NATS_PASSWORD: 'x' }).authenticator).toEqual(expect.any(Function));
    const creds = join(storeDir, 'user.creds');
    writeFileSync(creds, '-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ.e30.x\n------END NATS USER JWT------\n');
    expect(natsCredentials({ NATS_CREDS: creds }).authenticator).toEqual(expect.any(Function));
    expect(() => natsCredentials({ NATS_USER: 'oncall' })).toThrow(expect.objectContaining({ code: 'INVALID_NATS_CREDENTIALS', message: expect.stringContaining('NATS_PASSWORD is missing') }));
    expect(() => natsCredentials({ NATS_CREDS: creds, NATS_USER: 'u', NATS_PASSWORD: 'secret-pw' })).toThrow(/not both/);
    expect(() => natsCredentials({ NATS_CREDS: join(storeDir, 'missing.creds') })).toThrow(/cannot be read \(ENOENT\)/);
  });
});

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
