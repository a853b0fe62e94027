import { setTimeout as sleep } from 'node:timers/promises';
import { allSteps } from '@bascule/orchestration';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { publishRollbackCommand } from '../../apps/cli/src/commands/migrations/on-call-rollback';
import type { BenchStack } from './bench-stack';

export interface RollbackFigure {
  when: 'during the backfill' | 'after expanded';
  /** Rows the backfill had done when the command was sent (checkpoint), of the total. */
  rowsDone: number | null;
  rowsTotal: number | null;
  /** `nats publish` → MigrationRolledBack recorded (event time, same machine clock). */
  commandToRolledBackMs: number;
  /** The rollback-manager's own durationMs: command received → rolled back. */
  managerMs: number | null;
  /** MigrationRolledBack → restoration DataCompared recorded. */
  verificationMs: number | null;
  restorationPassed: boolean | null;
}

function widenSpec(name: string) {
  return {
    name,
    target: 'app',
    phases: [
      {
        name: 'expand',
        steps: [
          {
            id: name,
            schema: { operations: [{ alter_column: { table: 'pgbench_accounts', column: 'abalance', type: 'bigint', up: 'abalance', down: 'CAST(abalance AS integer)' } }] },
          },
        ],
      },
    ],
    rollback: { automatic: true, window: '72h' },
  };
}

let runs = 0;

/** The backfill's last checkpoint recorded before `RollbackStarted`: how far it got when the command arrived. */
async function checkpointBeforeRollback(stack: BenchStack, migrationId: string): Promise<{ rowsDone: number; rowsTotal: number | null } | null> {
  const events = await stack.stream(migrationId);
  const started = events.find((event) => event.type === 'RollbackStarted')?.streamVersion ?? Infinity;
  const checkpoints = events.filter((event) => event.type === 'BackfillCheckpointRecorded' && event.streamVersion < started);
  const last = checkpoints[checkpoints.length - 1]?.data as { rowsDone: number; rowsTotal: number | null } | undefined;
  return last ? { rowsDone: last.rowsDone, rowsTotal: last.rowsTotal } : null;
}

/** alter_column abalance integer → bigint on pgbench_accounts, rolled back by the on-call command at the given moment. */
export async function measureRollback(stack: BenchStack, when: RollbackFigure['when']): Promise<RollbackFigure> {
  runs += 1;
  const name = `${when === 'after expanded' ? 'widen-then-undo' : 'widen-interrupted'}-${runs}`;
  const posted = await stack.planner.plan(widenSpec(name));
  await stack.planner.send(posted.id, 'start');
  const ready = await watchMigration(stack.planner, posted.id, {
    until: when === 'after expanded' ? statusIs('expanded') : (state) => allSteps(state).some((step) => step.progress !== null),
    wanted: when === 'after expanded' ? 'expanded' : 'a backfill checkpoint',
    givesUpOn: when === 'after expanded' ? ['failed', 'rolled_back', 'completed'] : ['failed', 'rolled_back', 'completed', 'expanded'],
    timeoutMs: 600_000,
    intervalMs: 100,
  });
  // Let the backfill get properly under way (a few batches past its first checkpoint).
  if (when === 'during the backfill') await sleep(1_000);
  const sent = await publishRollbackCommand(stack.natsUrl, stack.busPrefix, { migrationId: posted.id, reason: `bench: rollback ${when}`, requestedBy: 'bench' });
  const rolledBack = await watchMigration(stack.planner, posted.id, { until: statusIs('rolled_back'), wanted: 'rolled_back', givesUpOn: ['completed'], timeoutMs: 120_000, intervalMs: 20 });
  const finished = rolledBack.rollback?.finishedAt?.getTime() ?? Date.now();
  const verified = await watchMigration(stack.planner, posted.id, {
    until: (state) => state.comparisons.has('restoration'),
    wanted: 'restoration comparison',
    givesUpOn: [],
    timeoutMs: 300_000,
    intervalMs: 200,
  }).catch(() => rolledBack);
  const restoration = verified.comparisons.get('restoration');
  const progress = when === 'after expanded' ? (allSteps(ready).find((step) => step.progress)?.progress ?? null) : await checkpointBeforeRollback(stack, posted.id);
  return {
    when,
    rowsDone: progress?.rowsDone ?? null,
    rowsTotal: progress?.rowsTotal ?? null,
    commandToRolledBackMs: finished - sent.sentAt,
    managerMs: rolledBack.rollback?.durationMs ?? null,
    verificationMs: restoration ? restoration.recordedAt.getTime() - finished : null,
    restorationPassed: restoration?.passed ?? null,
  };
}
