import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { busTopology, commandConsumerName } from '@bascule/messaging';
import { SERVICE_NAMES, type ServiceName } from '@bascule/service-kit';
import { connectTestNats } from '@bascule/testing';
import type { Pool } from 'pg';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { PlannerClient } from '../../apps/cli/src/commands/migrations/planner-client';
import type { ServiceStack } from '../../apps/cli/src/commands/demo/service-stack';
import { countsOf, ONCE_PER_RUN } from '../faults/support/reference-migration';
import { ACCOUNT_ROWS, createAccountsTarget, widenBalanceStep } from './support/accounts-target';
import { hasType, waitForEvents } from './support/migration-events';
import { startOrchestrationStack, type OrchestrationStack } from './support/orchestration-stack';

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.

/** The decisions and outcomes a run records once, however many copies handle it and whoever dies. */
const ONCE = ['MigrationStarted', 'MigrationExpanded', 'SchemaStepStarted', ...ONCE_PER_RUN];

/** Shown with the counts, not asserted one by one: how often the work was attempted. */
const ATTEMPTS = ['BackfillCheckpointRecorded', 'StepDispatched', 'PhaseStarted', 'PhaseCompleted'];

async function createTarget(app: Pool): Promise<void> {
  await createAccountsTarget(app);
  await app.query('CREATE TABLE audit_log (id serial PRIMARY KEY, note text NOT NULL)');
}

/**
 * Expand with a backfill of a few seconds (accounts.balance integer → bigint in batches of 200), a
 * sql step whose second execution would leave a second audit row, a verify step that counts them,
 * and a rollback window of 0 s: the process manager completes the migration once it is expanded.
 */
const SPEC = {
  name: 'scale-out',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '0s' },
  phases: [
    { name: 'expand', steps: [widenBalanceStep('widen-balance', { batchSize: 200, delayMs: 50 })] },
    { name: 'data', steps: [{ id: 'audit', sql: { up: `INSERT INTO audit_log (note) VALUES ('applied')`, down: `DELETE FROM audit_log WHERE note = 'applied'` } }] },
    {
      name: 'verify',
      steps: [{ id: 'check', verify: { tables: ['accounts'], invariants: [{ name: 'one-audit-row', sql: 'SELECT count(*) FROM audit_log', expect: 1 }] } }],
    },
  ],
};

/** Local TCP ports of the sockets process `pid` holds (Linux /proc), to tell which copy holds a Postgres connection. */
function localTcpPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // Closed between the listing and the read.
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && inodes.has(fields[9])) ports.add(parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports;
}

/** The copies whose schema-agent holds a connection to the target database: the one running the backfill. */
async function copiesOnTarget(stack: OrchestrationStack): Promise<number[]> {
  const { rows } = await stack.store.query<{ client_port: number }>('SELECT client_port FROM pg_stat_activity WHERE datname = $1 AND client_port IS NOT NULL', [stack.target.name]);
  const clientPorts = new Set(rows.map((row) => row.client_port));
  const holders: number[] = [];
  stack.copies.forEach((copy, index) => {
    const pid = copy.pid('schema-agent');
    if (pid !== undefined && [...localTcpPortsOf(pid)].some((port) => clientPorts.has(port))) holders.push(index);
  });
  return holders;
}

/** Both copies of a service pull from one durable consumer: it has a waiting pull from each. */
async function waitForSharedConsumer(stack: OrchestrationStack, command: string, copies: number): Promise<number> {
  const nc = await connectTestNats();
  try {
    const jsm = await nc.jetstreamManager();
    const deadline = Date.now() + 20_000;
    let waiting = 0;
    while (Date.now() < deadline) {
      waiting = (await jsm.consumers.info(busTopology(stack.busPrefix).commandsStream, commandConsumerName(command))).num_waiting;
      if (waiting >= copies) return waiting;
      await sleep(100);
    }
    return waiting;
  } finally {
    await nc.close();
  }
}

describe('scale-out: two copies of every service share the durable consumers', () => {
  let stack: OrchestrationStack | undefined;

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('runs a migration once while one copy of each service is killed (SIGKILL) mid-backfill, and it still completes', async () => {
    // Twelve services starting on two cores shared with other work: give each three minutes to answer.
    stack = await startOrchestrationStack(createTarget, {}, { copies: 2, healthTimeoutMs: 180_000 });
    const { copies, stream, app, logDir } = stack;
    expect(copies).toHaveLength(2);
    // Twelve processes: each copy's six run side by side on ports of their own.
    const pids = copies.flatMap((copy) => SERVICE_NAMES.map((name) => copy.pid(name)));
    expect(new Set(pids).size).toBe(12);
    expect(await waitForSharedConsumer(stack, 'schema.start', 2)).toBe(2);

    const posted = await stack.planner.plan(SPEC);
    await stack.planner.send(posted.id, 'start');
    const atKill = await waitForEvents(() => stream(posted.id), hasType('BackfillCheckpointRecorded'), 'the backfill to begin');

    // Kill the copy running the backfill (its schema-agent holds the target connection): all six of its services.
    const holders = await copiesOnTarget(stack);
    const doomed = holders.length === 1 ? holders[0] : 0;
    const survivor: ServiceStack = copies[1 - doomed];
    const killed: ServiceStack = copies[doomed];
    const exits = await Promise.all(SERVICE_NAMES.map(async (name: ServiceName) => [name, (await killed.kill(name))?.signal] as const));
    expect(Object.fromEntries(exits)).toEqual(Object.fromEntries(SERVICE_NAMES.map((name) => [name, 'SIGKILL'])));
    const afterKill = await stream(posted.id);

    // The surviving copy finishes it: the backfill's command runs again there (its ack wait ran out), from the checkpoint.
    const planner = new PlannerClient(survivor.url('planner'), 'e2e');
    const done = await watchMigration(planner, posted.id, { until: statusIs('completed'), wanted: `completed on the surviving copy (logs: ${logDir})`, timeoutMs: 180_000 });
    expect(done.phases.map((phase) => phase.status)).toEqual(['completed', 'completed', 'completed']);

    const events = await stream(posted.id);
    const counts = countsOf(events, [...ONCE, ...ATTEMPTS]);
    const checkpointsAtKill = countsOf(afterKill, ['BackfillCheckpointRecorded']).BackfillCheckpointRecorded;
    const figures = {
      killedCopy: doomed + 1,
      backfillRanOn: holders.map((index) => index + 1),
      killedAt: `${atKill[atKill.length - 1]?.type} (checkpoints so far: ${checkpointsAtKill})`,
      eventsBeforeKill: afterKill.map((event) => event.type),
      finalStatus: done.status,
      counts,
    };
    console.log(`scale-out: ${JSON.stringify(figures)}`);

    expect(countsOf(events, ONCE)).toEqual(Object.fromEntries(ONCE.map((type) => [type, 1])));
    expect(countsOf(events, ['StepDispatched', 'PhaseStarted', 'PhaseCompleted'])).toEqual({ StepDispatched: 3, PhaseStarted: 3, PhaseCompleted: 3 });
    // The backfill went on after the kill (on the surviving copy, when the killed one held it).
    expect(counts['BackfillCheckpointRecorded']).toBeGreaterThan(checkpointsAtKill);
    // What ran in the target ran once: one audit row, every row backfilled, the column widened in place.
    expect((await app.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(1);
    const rows = await app.query<{ n: number; wrong: number; type: string }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE balance <> id % 1000)::int AS wrong,
              (SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'accounts' AND column_name = 'balance') AS type
         FROM accounts`,
    );
    expect(rows.rows[0]).toEqual({ n: ACCOUNT_ROWS, wrong: 0, type: 'bigint' });
    // A generous bound, not a figure: the time is in starting twelve processes, not in the migration.
  }, 900_000);
});
