import { isFinished } from '@bascule/orchestration';
import { count, seconds, type DemoContext } from './demo-context';
import { FORWARD_SPEC, readDemoSpec } from './demo-specs';
import { statusIs, watchMigration } from '../migrations/migration-watch';
import { planSummary } from './plan-summary';
import type { WriteLoad, WriteLoadResult } from './write-load';

export interface ForwardOutcome {
  migrationId: string;
  load: WriteLoadResult;
  durationMs: number;
}

/**
 * Act 1: a three-phase migration (expand schema step, sql step, verify step) posted, started,
 * watched live to `expanded`, completed, reported — while the application keeps writing.
 */
export async function runForwardMigration(ctx: DemoContext, load: WriteLoad): Promise<ForwardOutcome> {
  const { planner, say } = ctx;
  const spec = readDemoSpec(ctx.root, FORWARD_SPEC);
  say(`  POST /migrations  (${spec.relativePath})`);
  const posted = await planner.plan(spec.text);
  say(`  201: migration ${posted.id}, status ${posted.status}; the plan:`);
  for (const line of planSummary(posted.plan)) say(`    ${line}`);

  const began = Date.now();
  await planner.send(posted.id, 'start');
  say(`  POST /migrations/${posted.id}/start  → 202; progress (from GET /migrations/${posted.id}/events):`);
  const expanded = await watchMigration(planner, posted.id, {
    until: statusIs('expanded'),
    wanted: 'expanded',
    timeoutMs: 300_000,
    onLine: ctx.progress(began),
    signal: ctx.signal,
  });
  const writes = load.progress;
  say(`  expanded after ${seconds(Date.now() - began)}: old and new versions both live, rollback still instant`);
  say(`    (meanwhile the application committed ${count(writes.ok)} writes, ${count(writes.failed)} failed)`);
  for (const [label, comparison] of expanded.comparisons) say(`    data check ${label} against ${comparison.against}: ${comparison.passed ? 'passed' : 'FAILED'}`);

  say(`  POST /migrations/${posted.id}/complete  (instead of waiting for the 72h rollback window)`);
  await planner.send(posted.id, 'complete');
  const completed = await watchMigration(planner, posted.id, {
    until: statusIs('completed'),
    wanted: 'completed',
    givesUpOn: ['failed', 'rolled_back'],
    timeoutMs: 180_000,
    onLine: ctx.progress(began),
    signal: ctx.signal,
  });
  const durationMs = Date.now() - began;
  const result = await load.stop();
  say(`  completed after ${seconds(durationMs)}${isFinished(completed.status) ? '' : ` (status ${completed.status})`}`);
  say(
    `  write load: ${count(result.ok)} writes ok, ${count(result.failed)} failed in ${result.seconds.toFixed(1)} s ` +
      `(${count(result.ordersPlaced)} orders placed, ${count(result.customersUpdated)} customers updated)`,
  );
  for (const error of result.errors) say(`    write error: ${error}`);

  say(`  GET /migrations/${posted.id}/report:`);
  const report = await planner.report(posted.id);
  for (const line of report.trimEnd().split('\n')) say(`    │ ${line}`);
  return { migrationId: posted.id, load: result, durationMs };
}
