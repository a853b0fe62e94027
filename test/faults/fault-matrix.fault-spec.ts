import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { foldMigration } from '@bascule/orchestration';
import { portEnvName, SERVICE_NAMES, type ServiceName } from '@bascule/service-kit';
import { freePorts } from '@bascule/testing';
import { Client, Pool } from 'pg';
import { PlannerClient } from '../../apps/cli/src/commands/migrations/planner-client';
import { BasculeUp, httpGet, isAlive } from '../e2e/support/bascule-up';
import { OwnNats, OwnPostgres } from './support/own-servers';
import { countsOf, normalizedShape, ONCE_PER_RUN, prepareReferenceTarget, referenceSpec, rowCheck, WriteLoad } from './support/reference-migration';

// Runs the compiled services through `bascule up` (npm run test:faults builds first).
jest.setTimeout(3 * 60 * 60 * 1000);

const FINAL = new Set(['completed', 'rolled_back', 'rollback_failed']);
const RUN_TIMEOUT_MS = 180_000;

interface Fault {
  label: string;
  /** Inject when the run's stream first holds an event of this type. */
  at: string;
  /** Injects the fault; resolves with the time the faulty part was back (restarted and healthy, server up). */
  inject(): Promise<number>;
  /** A restart of Postgres drops the application's connections too: its writes may fail then. */
  clientWritesMayFail?: boolean;
}

interface RunResult {
  fault: string;
  at: string;
  status: string;
  /** Injection → the next event any service appended. */
  stallMs: number | null;
  /** The part back (restarted service healthy, server up) → the next event; 0 when progress did not wait for it. */
  afterRestartMs: number | null;
  durationMs: number;
  writes: string;
  problems: string[];
}

describe('fault matrix: the reference migration under write load, a fault at every event boundary', () => {
  let postgres: OwnPostgres;
  let nats: OwnNats;
  let up: BasculeUp;
  let store: Pool;
  let app: Pool;
  let planner: PlannerClient;
  let ports: Record<ServiceName, number>;
  let runs = 0;

  beforeAll(async () => {
    postgres = await OwnPostgres.start();
    nats = await OwnNats.start();
    for (const database of ['bascule_events', 'faults_target']) await adminQuery(postgres.url(), `CREATE DATABASE ${database}`);
    const free = await freePorts(SERVICE_NAMES.length);
    ports = Object.fromEntries(SERVICE_NAMES.map((name, index) => [name, free[index]])) as Record<ServiceName, number>;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BASCULE_DATABASE_URL: postgres.url('bascule_events'),
      BASCULE_TARGET_APP_URL: postgres.url('faults_target'),
      NATS_URL: nats.url,
      BASCULE_BUS_PREFIX: 'faults',
    };
    delete env['PORT'];
    for (const name of SERVICE_NAMES) env[portEnvName(name)] = String(ports[name]);
    up = new BasculeUp(['--timeout', '90'], env);
    await up.waitForOutput(/^all 6 services healthy/m, 120_000);
    store = new Pool({ connectionString: postgres.url('bascule_events'), max: 2 });
    app = new Pool({ connectionString: postgres.url('faults_target'), max: 4 });
    // A Postgres restart ends the idle sessions of these pools too: the pool drops them, nothing to handle.
    for (const pool of [store, app]) pool.on('error', () => undefined);
    planner = new PlannerClient(`http://127.0.0.1:${ports.planner}`, 'faults');
  });

  afterAll(async () => {
    if (up && up.process.exitCode === null) {
      up.process.kill('SIGINT');
      await Promise.race([up.exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      for (const pid of up.startedPids().values()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    await store?.end();
    await app?.end();
    await nats?.stop();
    postgres?.stop();
  });

  async function allHealthy(): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (const name of SERVICE_NAMES) {
      while ((await httpGet(`http://127.0.0.1:${ports[name]}/health`))?.status !== 200) {
        if (Date.now() > deadline) throw new Error(`${name} not healthy again; up's stderr:\n${up.stderr.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  async function stream(migrationId: string): Promise<StoredEvent[]> {
    return readStream(store, migrationStreamId(migrationId));
  }

  async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = RUN_TIMEOUT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe().catch(() => undefined);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** One run of the reference migration in a schema of its own, with `fault` injected at its boundary. */
  async function run(fault: Fault | null): Promise<RunResult & { events: StoredEvent[]; shape: string }> {
    await allHealthy();
    const schema = `run_${++runs}`;
    await prepareReferenceTarget(app, schema);
    const writer = new WriteLoad(app, schema);
    const began = Date.now();
    const problems: string[] = [];
    let stallMs: number | null = null;
    let afterRestartMs: number | null = null;
    let id = '';
    try {
      const posted = await planner.plan(referenceSpec(schema));
      id = posted.id;
      await planner.send(id, 'start');
      if (fault) {
        const before = await waitUntil(`${fault.at} in run ${schema}`, async () => {
          const events = await stream(id);
          return events.some((event) => event.type === fault.at) ? events : undefined;
        });
        const injected = Date.now();
        const back = await fault.inject();
        // The next event any service appends after the fault; none when the fault came after the last one.
        const next = await waitUntil(`an event after ${fault.label}`, async () => {
          const events = await stream(id);
          const after = events.find((event) => event.streamVersion > before.length && event.recordedAt.getTime() >= injected);
          if (after) return after;
          return FINAL.has(foldMigration(events).status) ? null : undefined;
        }).catch(() => null);
        stallMs = next ? next.recordedAt.getTime() - injected : null;
        afterRestartMs = next ? Math.max(0, next.recordedAt.getTime() - back) : null;
      }
      await waitUntil(`run ${schema} to finish`, async () => (FINAL.has(foldMigration(await stream(id)).status) ? true : undefined));
    } catch (error) {
      problems.push((error as Error).message);
    }
    await writer.stop();
    const events = id ? await stream(id) : [];
    const status = events.length > 0 ? foldMigration(events).status : 'not planned';
    const shape = await normalizedShape(app, schema);
    if (status !== 'completed') problems.push(`ended ${status}`);
    const once = countsOf(events, ONCE_PER_RUN);
    for (const [type, count] of Object.entries(once)) if (count !== 1) problems.push(`${type} × ${count}`);
    const audit = Number((await app.query(`SELECT count(*) AS n FROM ${schema}.audit_log`)).rows[0].n);
    if (audit !== 1) problems.push(`the sql step ran ${audit} times`);
    const rows = await rowCheck(app, schema, writer.committed);
    if (rows.wrongValues > 0) problems.push(`${rows.wrongValues} rows with a wrong value`);
    const lostWritesPossible = fault?.clientWritesMayFail ? writer.failed : 0;
    if (rows.rows < rows.expected || rows.rows > rows.expected + lostWritesPossible) problems.push(`${rows.rows} rows, expected ${rows.expected}`);
    if (writer.failed > 0 && !fault?.clientWritesMayFail) problems.push(`${writer.failed} client writes failed: ${writer.lastError}`);
    await app.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    return {
      fault: fault?.label ?? 'none',
      at: fault?.at ?? '-',
      status,
      stallMs,
      afterRestartMs,
      durationMs: Date.now() - began,
      writes: `${writer.committed} ok, ${writer.failed} failed`,
      problems,
      events,
      shape,
    };
  }

  /** kill -9, then `bascule up` restarts it: resolves when up says it is healthy again. */
  function killService(name: ServiceName): Fault['inject'] {
    const healthyAgain = new RegExp(`^${name} +\\S+ +healthy again +pid (\\d+)$`, 'gm');
    return async () => {
      const before = [...up.stdout.matchAll(healthyAgain)].length;
      const pid = up.startedPids().get(name);
      if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
      return waitUntil(`${name} healthy again`, async () => ([...up.stdout.matchAll(healthyAgain)].length > before ? Date.now() : undefined));
    };
  }

  async function restarted(restart: () => Promise<void>): Promise<number> {
    await restart();
    return Date.now();
  }

  it('every run ends completed with the target as expected, no step run twice, no client write failed', async () => {
    const control = await run(null);
    expect(control.problems).toEqual([]);
    // Every event type of an undisturbed run, in order of first appearance, from the start on.
    const types = control.events.map((event) => event.type);
    const boundaries = types.filter((type, index) => types.indexOf(type) === index && index >= types.indexOf('MigrationStarted'));
    const services = (process.env['BASCULE_FAULTS_SERVICES']?.split(',') ?? [...SERVICE_NAMES]) as ServiceName[];
    const faults: Fault[] = [];
    // Boundary by boundary, each service in turn: a service is killed again only several runs later,
    // so `bascule up` restarts it after its first delay (1 s), not after a crash-loop backoff.
    for (const at of boundaries) for (const service of services) faults.push({ label: `kill -9 ${service}`, at, inject: killService(service) });
    faults.push({ label: 'restart NATS', at: 'BackfillCheckpointRecorded', inject: () => restarted(() => nats.restart()) });
    faults.push({ label: 'restart Postgres', at: 'BackfillCheckpointRecorded', inject: () => restarted(() => postgres.restart()), clientWritesMayFail: true });
    const limit = Number(process.env['BASCULE_FAULTS_LIMIT'] ?? faults.length);

    const results: RunResult[] = [control];
    for (const fault of faults.slice(0, limit)) {
      const result = await run(fault);
      if (result.shape !== control.shape) result.problems.push('the final shape differs from the undisturbed run');
      results.push(result);
      process.stdout.write(`${result.problems.length === 0 ? 'ok  ' : 'FAIL'} ${result.fault} at ${result.at}: ${result.status}, stall ${result.stallMs ?? '-'} ms, after restart ${result.afterRestartMs ?? '-'} ms, ${result.durationMs} ms${result.problems.length ? ` — ${result.problems.join('; ')}` : ''}\n`);
    }

    const table = [
      '| fault | at the first | outcome | fault → next event (ms) | back → next event (ms) | run (ms) | client writes | problems |',
      '| --- | --- | --- | ---: | ---: | ---: | --- | --- |',
      ...results.map((r) => `| ${r.fault} | ${r.at} | ${r.status} | ${r.stallMs ?? '-'} | ${r.afterRestartMs ?? '-'} | ${r.durationMs} | ${r.writes} | ${r.problems.join('; ') || 'none'} |`),
    ].join('\n');
    const correct = results.filter((result) => result.problems.length === 0).length;
    const summary = `${results.length} runs (the undisturbed one, then ${results.length - 1} of the ${faults.length} faults: kill -9 of ${services.join(', ')} at each of ${boundaries.length} boundaries, NATS and Postgres restarts mid-backfill): ${correct} correct`;
    const out = join(tmpdir(), 'bascule-fault-matrix.md');
    writeFileSync(out, `${summary}\n\n${table}\n`);
    process.stdout.write(`${summary}\n${table}\n(also in ${out})\n`);
    expect(results.filter((result) => result.problems.length > 0).map((result) => `${result.fault} at ${result.at}: ${result.problems.join('; ')}`)).toEqual([]);
  });
});

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
