import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import { portEnvName, SERVICE_NAMES, type ServiceName } from '@bascule/service-kit';
import { appendEvents } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import { Pool } from 'pg';
import { BasculeUp, childPidsOf, freePorts, httpGet, isAlive, REPO_ROOT } from './support/bascule-up';

// Runs the compiled CLI and services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('bascule up: the six services as separate processes', () => {
  let db: TestDatabase;
  let busPrefix: string;
  const started: BasculeUp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('e2e_up');
    busPrefix = uniqueBusPrefix();
  });

  afterAll(async () => {
    // Only what this file started: up itself and the children it reported.
    for (const up of started) {
      for (const pid of up.startedPids().values()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      if (up.process.exitCode === null) up.process.kill('SIGKILL');
    }
    const nc = await connectTestNats();
    await deleteStreams(nc, busPrefix);
    await nc.close();
    await db.drop();
  });

  async function envWithPorts(): Promise<{ env: NodeJS.ProcessEnv; ports: Record<ServiceName, number> }> {
    const free = await freePorts(SERVICE_NAMES.length);
    const ports = Object.fromEntries(SERVICE_NAMES.map((name, index) => [name, free[index]])) as Record<ServiceName, number>;
    const env: NodeJS.ProcessEnv = { ...process.env, BASCULE_DATABASE_URL: db.url, BASCULE_BUS_PREFIX: busPrefix };
    delete env['PORT'];
    for (const name of SERVICE_NAMES) env[portEnvName(name)] = String(ports[name]);
    return { env, ports };
  }

  function launch(env: NodeJS.ProcessEnv, args: string[] = []): BasculeUp {
    const up = new BasculeUp(args, env);
    started.push(up);
    return up;
  }

  it('serves /health 200 and /metrics on every service, then SIGINT stops every child', async () => {
    const { env, ports } = await envWithPorts();
    const up = launch(env, ['--timeout', '60']);
    await up.waitForOutput(/^all 6 services healthy/m, 90_000);

    for (const name of SERVICE_NAMES) {
      const base = `http://127.0.0.1:${ports[name]}`;
      expect(up.stdout).toMatch(new RegExp(`^${name} +${base} +healthy +pid \\d+$`, 'm'));
      const health = await httpGet(`${base}/health`);
      expect({ name, status: health?.status }).toEqual({ name, status: 200 });
      expect(JSON.parse(health!.body)).toMatchObject({ info: { postgres: { status: 'up' }, nats: { status: 'up' } } });
      const metrics = await httpGet(`${base}/metrics`);
      expect(metrics?.body).toContain(`bascule_service_info{service="${name}"} 1`);
    }

    // The services created the event store and run the outbox relay: a stored event reaches JetStream.
    const pool = new Pool({ connectionString: db.url });
    const stored = await appendEvents(pool, 'migration-e2e-relay', [{ type: 'RelayProbed', data: { probe: true } }], { expectedVersion: 'no_stream' });
    await pool.end();
    expect(stored.duplicate).toBe(false);
    const nc = await connectTestNats();
    const jsm = await nc.jetstreamManager();
    const eventsStream = busTopology(busPrefix).eventsStream;
    const deadline = Date.now() + 15_000;
    let relayed = 0;
    while (Date.now() < deadline) {
      relayed = await jsm.streams.info(eventsStream).then((info) => info.state.messages, () => 0);
      if (relayed >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const message = await jsm.streams.getMessage(eventsStream, { last_by_subj: busTopology(busPrefix).eventSubject('RelayProbed') });
    await nc.close();
    expect(relayed).toBe(1);
    expect(message.header.get('Nats-Msg-Id')).toMatch(/^[0-9a-f-]{36}$/);

    // Six separate processes, each a direct child of up, and the ones up says it started.
    const reported = up.startedPids();
    expect([...reported.keys()].sort()).toEqual([...SERVICE_NAMES].sort());
    const actual = childPidsOf(up.process.pid!);
    expect(actual).toEqual([...reported.values()].sort((a, b) => a - b));

    up.process.kill('SIGINT');
    const exit = await up.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    for (const [name, pid] of reported) expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
    for (const name of SERVICE_NAMES) {
      expect(up.stdout).toContain(`${name} stopped (exited with code 0)`);
      expect(await httpGet(`http://127.0.0.1:${ports[name]}/health`)).toBeUndefined();
    }
  });

  it('restarts a service that crashes after boot, saying so, while the other five keep running', async () => {
    const { env, ports } = await envWithPorts();
    const up = launch(env, ['--timeout', '60']);
    await up.waitForOutput(/^all 6 services healthy/m, 90_000);
    const before = up.startedPids();
    const victim = before.get('schema-agent')!;
    process.kill(victim, 'SIGKILL');

    await up.waitForOutput(/^schema-agent +http:\/\/127\.0\.0\.1:\d+ +healthy again +pid \d+$/m, 60_000);
    expect(up.stderr).toMatch(/^bascule up: schema-agent was killed by SIGKILL \(last log line: .*\); restarting it in 1s \(restart 1\), the other services keep running$/m);
    const after = up.startedPids();
    expect(after.get('schema-agent')).not.toBe(victim);
    expect(isAlive(after.get('schema-agent')!)).toBe(true);
    for (const name of SERVICE_NAMES.filter((service) => service !== 'schema-agent')) {
      expect({ name, pid: after.get(name), alive: isAlive(before.get(name)!) }).toEqual({ name, pid: before.get(name), alive: true });
    }
    expect((await httpGet(`http://127.0.0.1:${ports['schema-agent']}/health`))?.status).toBe(200);

    up.process.kill('SIGINT');
    expect(await up.exited).toEqual({ code: 0, signal: null });
    for (const [name, pid] of after) expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
  });

  it('fails fast with one line and a non-zero exit when NATS is unreachable, starting nothing', async () => {
    const { env } = await envWithPorts();
    const begun = Date.now();
    const up = launch({ ...env, NATS_URL: 'nats://127.0.0.1:1' });
    const exit = await up.exited;
    expect(Date.now() - begun).toBeLessThan(10_000);
    expect(exit.code).not.toBe(0);
    const lines = up.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bascule up: cannot reach NATS at nats:\/\/127\.0\.0\.1:1 \(.+\); start it with: start-stop-daemon --start /);
    expect(up.stdout).not.toContain('starting');
  });

  it('stops the others and exits non-zero, naming the service, when one child exits', async () => {
    const { env, ports } = await envWithPorts();
    // Hold api-agent's port so that service dies on EADDRINUSE while the other five come up.
    // It hangs up on every connection: up's health polls get an error, and close() has nothing to wait for.
    const blocker: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(ports['api-agent'], resolve));
    try {
      const up = launch(env);
      const exit = await up.exited;
      expect(exit.code).toBe(1);
      expect(up.stderr).toMatch(/^bascule up: api-agent exited with code 1 \(last log line: .*EADDRINUSE.*\)$/m);
      const reported = up.startedPids();
      expect(reported.size).toBe(6);
      for (const [name, pid] of reported) expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('gives up on a service not healthy in time, naming it and its last log line, and stops all six', async () => {
    const { env } = await envWithPorts();
    // 0.2 s is far below what a Node + Nest boot takes, so no service can be healthy in time.
    const up = launch(env, ['--timeout', '0.2']);
    const exit = await up.exited;
    expect(exit.code).toBe(1);
    expect(up.stderr).toMatch(/^bascule up: [a-z-]+ did not answer 200 on http:\/\/127\.0\.0\.1:\d+\/health within 0\.2s \(last log line: .+\)$/m);
    const reported = up.startedPids();
    expect(reported.size).toBe(6);
    for (const [name, pid] of reported) expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
  });

  it('a single service started alone prints one masked line and exits 1 when Postgres is unreachable', async () => {
    const [port] = await freePorts(1);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      BASCULE_DATABASE_URL: 'postgres://root:hunter2@127.0.0.1:1/bascule',
      BASCULE_BUS_PREFIX: busPrefix,
    };
    const result = spawnSync(process.execPath, ['-r', join(REPO_ROOT, 'tools/dist-paths.js'), join(REPO_ROOT, 'dist/apps/data-verifier/src/main.js')], {
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toEqual([expect.stringMatching(/^data-verifier: cannot reach Postgres at postgres:\/\/root:\*\*\*@127\.0\.0\.1:1\/bascule \(.+\); start it with: pg_ctlcluster /)]);
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  });
});
