import { randomUUID } from 'node:crypto';
import { RequestRollback } from '@bascule/contracts';
import { busTopology } from '@bascule/messaging';
import { connectTestNats, createTestDatabase, deleteStreams, freePorts, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Client } from 'pg';
import { PlannerProcess, runBascule, startBascule } from '../../testing/planner-process';
import { ON_CALL_EXIT } from './on-call-exit';

// The planner and the CLI run from dist/ as processes (`npm run build` first), against the real
// Postgres and NATS: a store, a target, a bus prefix and a port of this suite's own.
jest.setTimeout(180_000);

const spec = {
  name: 'touch-accounts',
  target: 'app',
  phases: [{ name: 'only', steps: [{ id: 'touch', sql: { up: 'UPDATE accounts SET balance = balance', down: 'SELECT 1' } }] }],
};

describe('bascule migrations / rollback / pause / resume against a real planner and NATS', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let planner: PlannerProcess;
  let nc: NatsConnection;
  const prefix = uniqueBusPrefix();
  const topology = busTopology(prefix);
  let env: NodeJS.ProcessEnv;
  const bascule = (...args: string[]) => runBascule(args, env);

  async function plan(): Promise<string> {
    const response = await fetch(`${planner.url}/migrations`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-bascule-user': 'ana' }, body: JSON.stringify(spec) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function start(id: string): Promise<void> {
    const response = await fetch(`${planner.url}/migrations/${id}/start`, { method: 'POST', headers: { 'x-bascule-user': 'ana' } });
    expect(response.status).toBe(202);
  }

  async function statusOf(id: string): Promise<string> {
    return ((await (await fetch(`${planner.url}/migrations/${id}`)).json()) as { status: string }).status;
  }

  /** The rollback commands the commands stream holds (no rollback-manager runs here to take them). */
  async function queuedRollbacks(): Promise<Array<{ seq: number; subject: string; payload: unknown; headers: number }>> {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(topology.commandsStream);
    const found = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(topology.commandsStream, { seq }).catch(() => null);
      if (message?.subject === topology.commandSubject('rollback')) found.push({ seq, subject: message.subject, payload: message.json(), headers: message.header ? [...message.header.keys()].length : 0 });
    }
    return found;
  }

  beforeAll(async () => {
    store = await createTestDatabase('cli_oncall_store');
    target = await createTestDatabase('cli_oncall_target');
    const client = new Client({ connectionString: target.url });
    await client.connect();
    await client.query('CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)');
    await client.end();
    planner = await PlannerProcess.start({ BASCULE_DATABASE_URL: store.url, BASCULE_BUS_PREFIX: prefix, BASCULE_TARGET_APP_URL: target.url });
    nc = await connectTestNats();
    env = { BASCULE_PLANNER_URL: planner.url, BASCULE_BUS_PREFIX: prefix, BASCULE_TOKEN: '' };
  });

  afterAll(async () => {
    await planner?.stop();
    if (nc) {
      await deleteStreams(nc, prefix);
      await nc.close();
    }
    await store?.drop();
    await target?.drop();
  });

  it('lists, shows and reports a planned migration, as text and as the REST body with --json', async () => {
    const id = await plan();

    const list = await bascule('migrations', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+STATUS\s+PLANNED\s+BY\s+NAME$/m);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+planned\\s+\\S+ \\S+\\s+ana\\s+touch-accounts$`, 'm'));
    const listed = JSON.parse((await bascule('migrations', 'list', '--json')).stdout) as Array<{ id: string; status: string }>;
    expect(listed).toContainEqual(expect.objectContaining({ id, status: 'planned', name: 'touch-accounts' }));

    const show = await bascule('migrations', 'show', id);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`touch-accounts (${id})\nstatus: planned, target app\nplanned `);
    expect(show.stdout).toMatch(/^phase 1\/1 +"only" +pending$/m);
    expect(show.stdout).toMatch(/^ {2}touch +sql +pending$/m);
    const shownJson = await bascule('migrations', 'show', id, '--json');
    expect(JSON.parse(shownJson.stdout)).toEqual(await (await fetch(`${planner.url}/migrations/${id}`)).json());

    const report = await bascule('migrations', 'report', id);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`# Migration touch-accounts (${id})`);
    expect(report.stdout).toContain('Planned by ana');
    expect(JSON.parse((await bascule('migrations', 'report', id, '--json')).stdout)).toEqual({ id, report: `${report.stdout.trimEnd()}\n` });
  });

  it('pause is refused with the planner\'s reason while planned; once started, watch follows it until pause, and resume lets it go on', async () => {
    const id = await plan();
    const refused = await bascule('pause', id);
    expect(refused.code).toBe(ON_CALL_EXIT.refused);
    expect(refused.stderr).toContain('the planner refused to pause migration');
    expect(refused.stderr).toContain('409 INVALID_STATUS');
    expect(refused.stderr).toContain('cannot pause a migration that is planned');

    await start(id);
    const watch = startBascule(['migrations', 'watch', id, '--interval', '200ms'], env);
    const deadline = Date.now() + 60_000;
    while (!/ running\b/.test(watch.stdout()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const paused = await bascule('pause', id, '--reason', 'checking the dashboards', '--as', 'bo', '--json');
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toEqual({ id, status: 'paused', accepted: 'pause' });

    const watched = await watch.done;
    expect(watched.code).toBe(ON_CALL_EXIT.watchPaused);
    const lines = watched.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d running\b/);
    expect(lines.at(-2)).toMatch(/^\d\d:\d\d:\d\d paused\b/);
    expect(lines.at(-1)).toContain(`${id} is paused: \`bascule resume\` continues it`);

    const report = await bascule('migrations', 'report', id);
    expect(report.stdout).toContain('paused by bo: checking the dashboards');

    const resumed = await bascule('resume', id);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe(`resume of ${id} accepted; status now running\n`);
    expect(await statusOf(id)).toBe('running');
  });

  it('rollback publishes the on-call command on <prefix>.cmd.rollback, stored in the commands stream as the contract says', async () => {
    const id = await plan();
    await start(id);

    const sent = await bascule('rollback', id, '--reason', 'p99 latency doubled', '--as', 'alice', '--json');
    expect(sent.code).toBe(0);
    const described = JSON.parse(sent.stdout);
    expect(described).toMatchObject({
      subject: `${prefix}.cmd.rollback`,
      payload: { migrationId: id, reason: 'p99 latency doubled', requestedBy: 'alice' },
      stream: topology.commandsStream,
      check: 'accepted',
    });

    const queued = (await queuedRollbacks()).filter((command) => (command.payload as { migrationId: string }).migrationId === id);
    expect(queued).toEqual([{ seq: described.seq, subject: `${prefix}.cmd.rollback`, payload: { migrationId: id, reason: 'p99 latency doubled', requestedBy: 'alice' }, headers: 0 }]);
    // What the rollback-manager's handler parses.
    expect(RequestRollback.schema.parse(queued[0].payload)).toMatchObject({ migrationId: id, requestedBy: 'alice' });

    const text = await bascule('rollback', id, '--reason', 'still bad');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`rollback of ${id} sent on ${prefix}.cmd.rollback (stored as ${topology.commandsStream} #`);
    expect(text.stdout).toContain(`bascule migrations watch ${id}`);
  });

  it('rollback of a migration that has not started is refused before anything is sent; --force sends it', async () => {
    const id = await plan();
    const refused = await bascule('rollback', id, '--reason', 'oops');
    expect(refused.code).toBe(ON_CALL_EXIT.refused);
    expect(refused.stderr).toContain(`the rollback-manager would refuse to roll back ${id} (not_started)`);
    expect((await queuedRollbacks()).some((command) => (command.payload as { migrationId: string }).migrationId === id)).toBe(false);

    const forced = await bascule('rollback', id, '--reason', 'oops', '--force', '--json');
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout).check).toBe('forced past not_started');
  });

  it('an unknown id exits 4 naming it, for reads, actions and rollback (nothing sent)', async () => {
    const unknown = randomUUID();
    for (const args of [['migrations', 'show', unknown], ['migrations', 'watch', unknown], ['migrations', 'report', unknown], ['complete', unknown], ['rollback', unknown, '--reason', 'x']]) {
      const run = await bascule(...args);
      expect({ args, code: run.code }).toEqual({ args, code: ON_CALL_EXIT.unknownMigration });
      expect(run.stderr).toContain(`no migration "${unknown}" on the planner at ${planner.url}`);
    }
    const json = await bascule('migrations', 'show', unknown, '--json');
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'MIGRATION_NOT_FOUND', message: expect.stringContaining(unknown) } });
    expect((await queuedRollbacks()).some((command) => (command.payload as { migrationId: string }).migrationId === unknown)).toBe(false);
  });

  it('a planner that does not answer exits 5 naming its URL; NATS that does not answer, or no stream for the prefix, exits 6', async () => {
    const [closedPort] = await freePorts(1);
    const nowhere = `http://127.0.0.1:${closedPort}`;
    const list = await runBascule(['migrations', 'list'], { ...env, BASCULE_PLANNER_URL: nowhere });
    expect(list.code).toBe(ON_CALL_EXIT.plannerUnreachable);
    expect(list.stderr).toContain(`the planner at ${nowhere} did not answer`);
    const pause = await bascule('pause', randomUUID(), '--planner-url', nowhere, '--json');
    expect(pause.code).toBe(ON_CALL_EXIT.plannerUnreachable);
    expect(JSON.parse(pause.stdout).error.code).toBe('PLANNER_UNREACHABLE');

    const noNats = await bascule('rollback', randomUUID(), '--reason', 'x', '--no-check', '--nats-url', `nats://127.0.0.1:${closedPort}`);
    expect(noNats.code).toBe(ON_CALL_EXIT.busUnreachable);
    expect(noNats.stderr).toContain(`could not send the rollback through NATS at nats://127.0.0.1:${closedPort}`);

    const otherPrefix = uniqueBusPrefix();
    const noStream = await bascule('rollback', randomUUID(), '--reason', 'x', '--no-check', '--bus-prefix', otherPrefix);
    expect(noStream.code).toBe(ON_CALL_EXIT.busUnreachable);
    expect(noStream.stderr).toContain(`no JetStream stream stores ${otherPrefix}.cmd.rollback`);
  });

  it('bad usage stays commander\'s exit 1, apart from every code above', async () => {
    const run = await bascule('rollback', randomUUID());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("required option '--reason <text>' not specified");
  });
});
