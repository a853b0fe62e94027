import { MigrationInterruptedError, NoActiveMigrationError, PhaseConflictError } from '../errors';
import { recreateVersionSchemaAction } from '../execution/version-schema';
import { introspectLocked } from '../introspection/introspect-locked';
import type { PhaseContext } from './phase-context';
import { planComplete } from './plan-finish';
import { runAction, runActionsWithProgress } from './run-actions';
import { resumeBackfill } from './start-migration';
import { storedMigration } from './stored-migration';

export interface FinishOutcome {
  migration: string;
  versionSchema: string;
}

/**
 * Complete (contract): finishes an interrupted backfill first, then drops the previous version
 * schema and runs every operation's complete. The new version schema stays: it is now the current
 * version (pgroll). A crash part-way leaves `completing`; running complete again resumes.
 */
export async function completeMigration(ctx: PhaseContext): Promise<FinishOutcome> {
  let record = await ctx.store.active(ctx.schema);
  if (!record) throw new NoActiveMigrationError(ctx.schema);
  if (record.status === 'starting') throw new MigrationInterruptedError(ctx.schema, record.name);
  if (record.status === 'rolling_back') throw new PhaseConflictError(ctx.schema, record.name, record.status, 'complete');
  const migration = storedMigration(record);
  if (record.status === 'backfilling') {
    await resumeBackfill(ctx, record, migration);
    record = { ...record, status: 'active' };
  }
  const names = { schema: ctx.schema, versionSchema: record.versionSchema };
  const actions = planComplete({ migration, names, opModels: record.opModels, previousVersionSchema: record.previousVersionSchema });
  const from = record.status === 'completing' ? record.phaseProgress : 0;
  await ctx.store.update(ctx.schema, record.name, { status: 'completing', phaseProgress: from });
  await runActionsWithProgress(ctx, actions, from, (done) => ctx.store.update(ctx.schema, record.name, { phaseProgress: done }));
  if (migration.operations.some((operation) => operation.definition.refreshesModel?.(operation.body))) {
    // Raw SQL may have changed any table: show the tables as they now are (pgroll does the same).
    const model = await introspectLocked(ctx.client, ctx.schema, ctx.policy, record.name);
    await runAction(ctx, {
      location: { migration: record.name, phase: 'version_schema', index: null, kind: null },
      action: recreateVersionSchemaAction(model, record.versionSchema, ctx.securityInvoker),
    });
  }
  await ctx.store.update(ctx.schema, record.name, { status: 'completed', phaseProgress: 0 });
  await ctx.store.clearCheckpoints(ctx.schema, record.name);
  await ctx.store.recordHistory(ctx.schema, record.name, 'completed');
  return { migration: record.name, versionSchema: record.versionSchema };
}
