import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { parseAllDocuments } from 'yaml';
import { busTopology, ensureStreams, natsCredentials, STREAM_REPLICAS_ENV, streamReplicas } from '@bascule/messaging';
import { freePorts } from '@bascule/testing';

jest.setTimeout(120_000);

const K8S_DIR = join(__dirname, '..', '..', 'deploy', 'k8s');

type Doc = { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: { replicas?: number } };
const docsOf = (file: string): Doc[] => parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((doc) => doc.toJS() as Doc);

/** The value, or a failure naming what is missing. */
function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing: ${what}`);
  return value;
}

/**
 * The NATS configuration of deploy/k8s/nats.yaml on three real nats-servers of this test's own,
 * the pod names and DNS names of the StatefulSet turned into local ports (nothing else changed):
 * they form one JetStream cluster, the services' ensureStreams with the replica count of
 * config.yaml makes both streams with three replicas, and the bus goes on with one node killed.
 */
describe('the JetStream cluster of deploy/k8s/nats.yaml, on three local nats-servers', () => {
  const nats = docsOf('nats.yaml');
  const conf = present(nats.find((doc) => doc.kind === 'ConfigMap')?.data?.['nats.conf'], 'nats.yaml ConfigMap nats.conf');
  const nodes = present(nats.find((doc) => doc.kind === 'StatefulSet')?.spec?.replicas, 'nats.yaml StatefulSet replicas');
  const shared = present(docsOf('config.yaml').find((doc) => doc.kind === 'ConfigMap')?.data, 'config.yaml ConfigMap');
  const passwords = Object.fromEntries([...conf.matchAll(/password: \$([A-Z_]+)/g)].map((match) => [match[1], `pw${randomBytes(12).toString('hex')}`]));
  const plannerPassword = passwords['BASCULE_NATS_PLANNER_PASSWORD'];
  const topology = busTopology('bascule');
  const dirs: string[] = [];
  const servers: ChildProcess[] = [];
  const logs: string[] = [];
  const open: NatsConnection[] = [];
  let clientPorts: number[] = [];

  beforeAll(async () => {
    expect(nodes).toBe(3);
    const ports = await freePorts(nodes * 3);
    clientPorts = ports.slice(0, nodes);
    const clusterPorts = ports.slice(nodes, nodes * 2);
    const monitorPorts = ports.slice(nodes * 2);
    for (let node = 0; node < nodes; node++) {
      const dir = mkdtempSync(join(tmpdir(), `bascule-nats-cluster-${node}-`));
      dirs.push(dir);
      let local = conf
        .replace(/^(\s*)port: 4222$/m, `$1listen: "127.0.0.1:${clientPorts[node]}"`)
        .replace(/^(\s*)http_port: 8222$/m, `$1http: "127.0.0.1:${monitorPorts[node]}"`)
        .replace(/^(\s*)port: 6222$/m, `$1listen: "127.0.0.1:${clusterPorts[node]}"`)
        .replace(/store_dir: \S+/, `store_dir: "${join(dir, 'jetstream')}"`)
        .replace(/pid_file: \S+/, `pid_file: "${join(dir, 'nats.pid')}"`);
      clusterPorts.forEach((port, peer) => (local = local.replace(`nats://nats-${peer}.nats-headless:6222`, `nats://127.0.0.1:${port}`)));
      expect(local).not.toMatch(/nats-headless|:4222|:6222|:8222/);
      const file = join(dir, 'nats.conf');
      writeFileSync(file, local);
      const server = spawn('nats-server', ['-c', file], { env: { ...process.env, ...passwords, SERVER_NAME: `nats-${node}` }, stdio: ['ignore', 'ignore', 'pipe'] });
      logs.push('');
      server.stderr?.on('data', (chunk: Buffer) => (logs[node] = (logs[node] + chunk.toString()).slice(-2000)));
      servers.push(server);
    }
    for (const [node, port] of clientPorts.entries()) {
      for (let tries = 0; !(await answers(port)); tries++) {
        if (tries > 100 || servers[node].exitCode !== null) throw new Error(`nats-${node} (with nats.yaml's configuration) did not start: ${logs[node]}`);
        await sleep(100);
      }
    }
  });

  afterAll(async () => {
    delete process.env[STREAM_REPLICAS_ENV];
    await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
    for (const server of servers) if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await Promise.all(servers.map((server) => (server.exitCode === null && server.signalCode === null ? new Promise((resolve) => server.once('exit', resolve)) : undefined)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function asPlanner(ports: number[]): Promise<NatsConnection> {
    const nc = await connect({ servers: ports.map((port) => `nats://127.0.0.1:${port}`), ...natsCredentials({ NATS_USER: 'planner', NATS_PASSWORD: plannerPassword }) });
    open.push(nc);
    return nc;
  }

  it('makes both streams with three replicas, and goes on with one node killed', async () => {
    expect(streamReplicas(shared)).toBe(3);
    // A service reads it from its environment (the pod's envFrom of config.yaml's ConfigMap).
    process.env[STREAM_REPLICAS_ENV] = shared[STREAM_REPLICAS_ENV];
    const nc = await asPlanner([clientPorts[0]]);
    // The cluster elects its meta leader first; until then JetStream does not answer, or answers "temporarily unavailable".
    const deadline = Date.now() + 60_000;
    let jsm: JetStreamManager;
    for (;;) {
      try {
        jsm = await nc.jetstreamManager();
        await ensureStreams(jsm, topology);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
    for (const stream of [topology.eventsStream, topology.commandsStream]) {
      const info = await jsm.streams.info(stream);
      expect({ stream, replicas: info.config.num_replicas, nodes: [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((replica) => replica.name)].sort() }).toEqual({
        stream,
        replicas: 3,
        nodes: ['nats-0', 'nats-1', 'nats-2'],
      });
    }

    // The events stream's leader gone (its pod killed): the other two elect a new one, publishing goes on.
    const leader = present((await jsm.streams.info(topology.eventsStream)).cluster?.leader, 'a leader of the events stream');
    const victim = servers[Number(leader.replace('nats-', ''))];
    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));
    const survivorPorts = clientPorts.filter((_, node) => servers[node] !== victim);
    const js = (await asPlanner(survivorPorts)).jetstream();
    let ack;
    for (const until = Date.now() + 30_000; ; ) {
      try {
        ack = await js.publish(topology.eventSubject('ClusterCheck'), JSON.stringify({ at: Date.now() }), { timeout: 2_000 });
        break;
      } catch (error) {
        if (Date.now() > until) throw error;
        await sleep(250);
      }
    }
    expect(ack.stream).toBe(topology.eventsStream);
    expect(ack.duplicate).toBe(false);
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
