import { seconds, type DemoContext } from './demo-context';
import { MONITORED_SPEC, readDemoSpec } from './demo-specs';
import { watchMigration } from '../migrations/migration-watch';

export interface MonitoredOutcome {
  migrationId: string;
  status: string;
  /** The failed analysis' one sentence of numbers, or null when none was recorded. */
  reason: string | null;
  /** The regression's first judged window → the old version only (MigrationRolledBack). */
  detectedToRolledBackMs: number | null;
}

/**
 * Act 3: a migration whose sql step hurts the application (it drops the index a lookup needs). The
 * monitor's probe sees the lookup slow down, the analysis fails with its numbers, and the
 * rollback-manager rolls the migration back by itself; the report's Performance section says why.
 */
export async function runMonitoredRollback(ctx: DemoContext): Promise<MonitoredOutcome> {
  const { planner, say } = ctx;
  const spec = readDemoSpec(ctx.root, MONITORED_SPEC);
  say(`  POST /migrations  (${spec.relativePath}: probe every 50 ms, baseline 5 s, a judged window a second)`);
  const posted = await planner.plan(spec.text);
  const began = Date.now();
  await planner.send(posted.id, 'start');
  say(`  migration ${posted.id} started; the monitor takes its baseline, then the index goes`);
  const final = await watchMigration(planner, posted.id, {
    until: (state) => state.status === 'rolled_back' || state.status === 'rollback_failed' || state.status === 'completed' || state.status === 'expanded',
    wanted: 'the migration rolled back by itself',
    givesUpOn: [],
    timeoutMs: 180_000,
    onLine: ctx.progress(began),
    signal: ctx.signal,
  });
  const failure = final.monitor.failures[0] ?? null;
  const rolledBackAt = final.rollback?.finishedAt?.getTime() ?? null;
  const detectedToRolledBackMs = failure && rolledBackAt ? rolledBackAt - failure.at.getTime() : null;
  if (failure) say(`  analysis failed: ${failure.reason}`);
  if (final.rollback) say(`  automatic rollback: ${final.rollback.reason}`);
  say(`  ${final.status}${detectedToRolledBackMs === null ? '' : `, ${detectedToRolledBackMs} ms after the analysis failed`}; third migration: ${seconds(Date.now() - began)} in all`);
  return { migrationId: posted.id, status: final.status, reason: failure?.reason ?? null, detectedToRolledBackMs };
}
