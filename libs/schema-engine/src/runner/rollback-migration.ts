import { NoActiveMigrationError, PhaseConflictError } from '../errors';
import type { PhaseContext } from './phase-context';
import type { FinishOutcome } from './complete-migration';
import { planRollback } from './plan-finish';
import { runActionsWithProgress } from './run-actions';
import { storedMigration } from './stored-migration';

/**
 * Rollback: drops the new version schema, then undoes every started operation in reverse order.
 * The old version never stopped working, so nothing it wrote is lost. Also undoes a start that a
 * crash interrupted (`starting`): the half-done operation's undo ignores what is not there.
 */
export async function rollbackMigration(ctx: PhaseContext): Promise<FinishOutcome> {
  const record = await ctx.store.active(ctx.schema);
  if (!record) throw new NoActiveMigrationError(ctx.schema);
  if (record.status === 'completing') throw new PhaseConflictError(ctx.schema, record.name, record.status, 'rollback');
  const migration = storedMigration(record);
  const actions = planRollback({
    migration,
    names: { schema: ctx.schema, versionSchema: record.versionSchema },
    opModels: record.opModels,
    previousVersionSchema: record.previousVersionSchema,
    startedOps: record.startedOps,
    partial: record.startedOps < migration.operations.length,
  });
  const from = record.status === 'rolling_back' ? record.phaseProgress : 0;
  await ctx.store.update(ctx.schema, record.name, { status: 'rolling_back', phaseProgress: from });
  await runActionsWithProgress(ctx, actions, from, (done) => ctx.store.update(ctx.schema, record.name, { phaseProgress: done }));
  await ctx.store.update(ctx.schema, record.name, { status: 'rolled_back', phaseProgress: 0 });
  await ctx.store.clearCheckpoints(ctx.schema, record.name);
  await ctx.store.recordHistory(ctx.schema, record.name, 'rolled_back');
  return { migration: record.name, versionSchema: record.versionSchema };
}
