import type { TableComparison } from '@bascule/contracts';
import { RESTORATION_LABEL, allSteps, type MigrationState } from '@bascule/orchestration';
import { count, seconds, type DemoContext } from './demo-context';
import { DEMO_BUS_PREFIX } from './demo-environment';
import { readDemoSpec, ROLLBACK_SPEC } from './demo-specs';
import { statusIs, watchMigration } from '../migrations/migration-watch';
import { publishRollbackCommand } from '../migrations/on-call-rollback';

/** Roll back once the backfill has done this share of its rows: visibly mid-way, long before the end. */
const ROLLBACK_AT_SHARE = 0.2;

export interface RollbackOutcome {
  migrationId: string;
  /** Command published → MigrationRolledBack recorded. */
  commandToRolledBackMs: number;
  /** The rollback-manager's own figure: command received → rolled back. */
  managerDurationMs: number | null;
  restorationPassed: boolean | null;
}

function backfillShare(state: MigrationState): number {
  const progress = allSteps(state).find((step) => step.progress)?.progress;
  if (!progress || !progress.rowsTotal) return 0;
  return progress.rowsDone / progress.rowsTotal;
}

function restorationLines(state: MigrationState): string[] {
  const restoration = state.comparisons.get(RESTORATION_LABEL);
  if (!restoration) return ['restoration check: not recorded'];
  const tables = ((restoration.data as { tables?: TableComparison[] }).tables ?? []).map(
    (table) => `${table.table} ${table.equal ? 'identical' : 'DIFFERENT'} (${count(table.rowCount)} rows, baseline ${count(table.baselineRowCount)})`,
  );
  return [`restoration verified against ${restoration.against}: ${restoration.passed ? 'passed' : 'FAILED'}`, ...tables.map((table) => `  ${table}`)];
}

/**
 * Act 2: a slow backfill rolled back half-way by the on-call engineer's one NATS message, then the
 * data-verifier's proof that every table is back to its pre-migration checksums.
 */
export async function runOnCallRollback(ctx: DemoContext): Promise<RollbackOutcome> {
  const { planner, say } = ctx;
  const spec = readDemoSpec(ctx.root, ROLLBACK_SPEC);
  say(`  POST /migrations  (${spec.relativePath}: batches of 500 rows, 100 ms apart)`);
  const posted = await planner.plan(spec.text);
  const began = Date.now();
  await planner.send(posted.id, 'start');
  say(`  migration ${posted.id} started; waiting until the backfill is ${ROLLBACK_AT_SHARE * 100}% done`);
  await watchMigration(planner, posted.id, {
    until: (state) => backfillShare(state) >= ROLLBACK_AT_SHARE,
    wanted: `a backfill ${ROLLBACK_AT_SHARE * 100}% done`,
    givesUpOn: ['failed', 'rolled_back', 'rollback_failed', 'completed', 'expanded'],
    timeoutMs: 120_000,
    onLine: ctx.progress(began),
    signal: ctx.signal,
  });

  const request = { migrationId: posted.id, reason: 'p99 latency of checkout doubled', requestedBy: 'on-call' };
  const sent = await publishRollbackCommand(ctx.natsUrl, DEMO_BUS_PREFIX, request);
  say(`  on-call engineer: nats pub ${sent.subject} '${sent.payload}'`);
  const rolledBack = await watchMigration(planner, posted.id, {
    until: statusIs('rolled_back'),
    wanted: 'rolled_back',
    givesUpOn: ['completed', 'rollback_failed'],
    timeoutMs: 60_000,
    intervalMs: 50,
    onLine: ctx.progress(sent.sentAt),
    signal: ctx.signal,
  });
  const finishedAt = rolledBack.rollback?.finishedAt?.getTime() ?? Date.now();
  const commandToRolledBackMs = finishedAt - sent.sentAt;
  const managerDurationMs = rolledBack.rollback?.durationMs ?? null;
  say(
    `  old version only (every compensation done) ${commandToRolledBackMs} ms after the command was published` +
      (managerDurationMs === null ? '' : ` (rollback-manager: ${managerDurationMs} ms from receiving it)`),
  );
  const verified = await watchMigration(planner, posted.id, {
    until: (state) => state.comparisons.has(RESTORATION_LABEL),
    wanted: `the ${RESTORATION_LABEL} comparison`,
    givesUpOn: [],
    timeoutMs: 60_000,
    signal: ctx.signal,
  }).catch(() => rolledBack);
  for (const line of restorationLines(verified)) say(`  ${line}`);
  say(`  second migration: ${seconds(Date.now() - began)} from start to verified restoration`);
  return {
    migrationId: posted.id,
    commandToRolledBackMs,
    managerDurationMs,
    restorationPassed: verified.comparisons.get(RESTORATION_LABEL)?.passed ?? null,
  };
}
