import {
  BackfillInterruptedError,
  InvalidMigrationError,
  MigrationAlreadyActiveError,
  MigrationAlreadyAppliedError,
  MigrationInterruptedError,
  type OperationLocation,
} from '../errors';
import { createVersionSchemaAction } from '../execution/version-schema';
import { versionSchemaName, type Migration } from '../format/migration';
import { introspectLocked } from '../introspection/introspect-locked';
import type { SchemaModel } from '../model/schema-model';
import type { BackfillAction } from '../operations/operation';
import type { MigrationRecord } from '../state/migration-record';
import type { PhaseContext } from './phase-context';
import { planRollback } from './plan-finish';
import { contextFor, planStart, type MigrationNames } from './plan-start';
import { runAction, runBackfill } from './run-actions';
import { storedMigration } from './stored-migration';
import { validateTarget } from './validate-live';

export interface StartOutcome {
  migration: string;
  versionSchema: string;
  /** True when the migration was already active (nothing to do) or resumed an interrupted backfill. */
  resumed: boolean;
  alreadyActive: boolean;
}

interface PendingBackfill {
  action: BackfillAction;
  location: OperationLocation;
}

/** Validates against the live schema; throws `InvalidMigrationError` with every issue. */
export async function validateLive(ctx: Pick<PhaseContext, 'client' | 'schema' | 'stateSchema' | 'policy'>, migration: Migration) {
  const names: MigrationNames = { schema: ctx.schema, versionSchema: versionSchemaName(ctx.schema, migration) };
  const targetIssues = await validateTarget(ctx.client, ctx.schema, names.versionSchema, ctx.stateSchema);
  const model = await introspectLocked(ctx.client, ctx.schema, ctx.policy, migration.name);
  const planning = planStart(migration, names, model);
  const issues = [...targetIssues, ...planning.issues];
  return { names, model, planning, issues };
}

/**
 * Backfills each table once, after every operation installed its triggers: one pass fires them all.
 * A table only one operation backfills gets that operation's values computed by the batch itself
 * (`compute`); with several, their triggers may build on each other in order, so the batch fires them.
 */
async function runBackfills(ctx: PhaseContext, migration: string, pending: PendingBackfill[]): Promise<void> {
  const seen = new Set<string>();
  for (const { action, location } of pending) {
    if (seen.has(action.table)) continue;
    seen.add(action.table);
    const shared = pending.filter((other) => other.action.table === action.table).length > 1;
    await runBackfill(ctx, shared ? { ...action, compute: undefined } : action, location, migration);
  }
}

function pendingBackfills(migration: Migration, names: MigrationNames, opModels: SchemaModel[]): PendingBackfill[] {
  return migration.operations.flatMap((operation, index) =>
    operation.definition
      .start(operation.body, contextFor(migration, names, opModels[index], index))
      .actions.filter((action): action is BackfillAction => action.kind === 'backfill')
      .map((action) => ({ action, location: { migration: migration.name, phase: 'backfill' as const, index, kind: operation.kind } })),
  );
}

/** Undoes a failed start completely; returns the rollback's own failure, if it had one. */
async function undoStart(
  ctx: PhaseContext,
  migration: Migration,
  names: MigrationNames,
  opModels: SchemaModel[],
  startedOps: number,
): Promise<Error | null> {
  const actions = planRollback({
    migration,
    names,
    opModels,
    previousVersionSchema: null,
    startedOps,
    partial: startedOps < migration.operations.length,
  });
  try {
    for (const action of actions) await runAction(ctx, action);
    return null;
  } catch (error) {
    return error as Error;
  }
}

async function recordFailedStart(ctx: PhaseContext, migration: string, message: string): Promise<void> {
  await ctx.store.update(ctx.schema, migration, { status: 'failed', error: message });
  await ctx.store.clearCheckpoints(ctx.schema, migration);
  await ctx.store.recordHistory(ctx.schema, migration, 'start_failed', { error: message });
}

/** Resumes a start whose backfill was interrupted (crash or abort): backfills from the checkpoints. */
export async function resumeBackfill(ctx: PhaseContext, record: MigrationRecord, migration: Migration): Promise<void> {
  const names = { schema: ctx.schema, versionSchema: record.versionSchema };
  await ctx.store.recordHistory(ctx.schema, record.name, 'backfill_resumed');
  await runBackfills(ctx, record.name, pendingBackfills(migration, names, record.opModels));
  await ctx.store.update(ctx.schema, record.name, { status: 'active' });
  await ctx.store.recordHistory(ctx.schema, record.name, 'started');
}

/**
 * Start (expand): validate everything first (nothing changes on any issue), record the migration,
 * run each operation's start actions, create the version schema, backfill, mark active. Any
 * failure undoes what ran and leaves the schema as it was.
 */
export async function startMigration(ctx: PhaseContext, migration: Migration): Promise<StartOutcome> {
  const versionSchema = versionSchemaName(ctx.schema, migration);
  const active = await ctx.store.active(ctx.schema);
  if (active) {
    if (active.name !== migration.name) throw new MigrationAlreadyActiveError(ctx.schema, active.name);
    if (active.status === 'backfilling') {
      await resumeBackfill(ctx, active, storedMigration(active));
      return { migration: migration.name, versionSchema: active.versionSchema, resumed: true, alreadyActive: false };
    }
    if (active.status === 'active') {
      return { migration: migration.name, versionSchema: active.versionSchema, resumed: false, alreadyActive: true };
    }
    if (active.status === 'starting') throw new MigrationInterruptedError(ctx.schema, migration.name);
    throw new MigrationAlreadyActiveError(ctx.schema, active.name);
  }
  const existing = await ctx.store.find(ctx.schema, migration.name);
  if (existing?.status === 'completed') throw new MigrationAlreadyAppliedError(ctx.schema, migration.name);

  const { names, planning, issues } = await validateLive(ctx, migration);
  if (issues.length > 0) throw new InvalidMigrationError(migration.name, issues);

  const parent = await ctx.store.latestCompleted(ctx.schema);
  const opModels = planning.operations.map((operation) => operation.seen);
  await ctx.store.insertStarting({
    schema: ctx.schema,
    name: migration.name,
    versionSchema,
    parent: parent?.name ?? null,
    previousVersionSchema: parent?.versionSchema ?? null,
    operations: migration.rawOperations,
    opModels,
  });
  await ctx.store.recordHistory(ctx.schema, migration.name, 'start_requested', { versionSchema });

  let startedOps = 0;
  let model = planning.operations[0]?.seen ?? planning.finalModel;
  const backfills: PendingBackfill[] = [];
  try {
    for (const [index, operation] of migration.operations.entries()) {
      // Re-planned from the model as it is now: equal to the validation plan unless an earlier
      // operation refreshed the model from the database.
      opModels[index] = model;
      const plan = operation.definition.start(operation.body, contextFor(migration, names, model, index));
      const location = { migration: migration.name, phase: 'start' as const, index, kind: operation.kind };
      for (const action of plan.actions) {
        if (action.kind === 'backfill') backfills.push({ action, location: { ...location, phase: 'backfill' } });
        else await runAction(ctx, { location, action });
      }
      model = operation.definition.refreshesModel?.(operation.body)
        ? await introspectLocked(ctx.client, ctx.schema, ctx.policy, migration.name)
        : plan.model;
      startedOps = index + 1;
      await ctx.store.update(ctx.schema, migration.name, { startedOps, opModels });
    }
    await runAction(ctx, {
      location: { migration: migration.name, phase: 'version_schema', index: null, kind: null },
      action: createVersionSchemaAction(model, versionSchema, ctx.securityInvoker),
    });
    await ctx.store.update(ctx.schema, migration.name, { status: 'backfilling' });
    await runBackfills(ctx, migration.name, backfills);
    await ctx.store.update(ctx.schema, migration.name, { status: 'active' });
    await ctx.store.recordHistory(ctx.schema, migration.name, 'started', { versionSchema });
    return { migration: migration.name, versionSchema, resumed: false, alreadyActive: false };
  } catch (error) {
    // An abort between batches is a pause, not a failure: keep everything, resume later.
    if (error instanceof BackfillInterruptedError) throw error;
    const undoFailure = await undoStart(ctx, migration, names, opModels, startedOps);
    const message = (error as Error).message;
    // Bookkeeping must not mask the original error (the connection itself may be gone): if it
    // fails, the row stays `starting` and `rollback` finishes the job.
    if (undoFailure) {
      await ctx.store.update(ctx.schema, migration.name, { error: `${message}; undo failed: ${undoFailure.message}` }).catch(() => undefined);
      (error as Error).message = `${message}; undoing the start failed too (${undoFailure.message}): run rollback`;
      throw error;
    }
    await recordFailedStart(ctx, migration.name, message).catch(() => undefined);
    (error as Error).message = `${message}; the start was undone, nothing changed`;
    throw error;
  }
}
