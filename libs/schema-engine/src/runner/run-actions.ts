import { backfillTable } from '../backfill/backfill-runner';
import { OperationFailedError, type OperationLocation } from '../errors';
import { executeSqlAction } from '../execution/sql-executor';
import { introspectLocked } from '../introspection/introspect-locked';
import type { Action, BackfillAction } from '../operations/operation';
import type { PhaseContext } from './phase-context';

export interface LocatedAction {
  location: OperationLocation;
  action: Action;
  /** Errors saying "it is not there" are ignored: undoing an operation that was only half done. */
  tolerateMissing?: boolean;
}

/**
 * SQLSTATEs of "object does not exist": undefined_table, undefined_column, undefined_object,
 * undefined_function, invalid_schema_name.
 */
const MISSING_OBJECT_SQLSTATES = new Set(['42P01', '42703', '42704', '42883', '3F000']);

/** Backfills one table as the database has it now (keys and indexes as they really are). */
export async function runBackfill(ctx: PhaseContext, action: BackfillAction, location: OperationLocation, migration: string) {
  const model = await introspectLocked(ctx.client, ctx.schema, ctx.policy, migration);
  const table = model.tables.find((candidate) => candidate.physicalName === action.table);
  if (!table) {
    throw new OperationFailedError(location, null, `backfill of table "${action.table}": no such table in schema "${ctx.schema}"`);
  }
  return backfillTable({
    client: ctx.client,
    store: ctx.store,
    schema: ctx.schema,
    migration,
    table,
    location,
    options: ctx.backfill,
    policy: ctx.policy,
    onProgress: ctx.onProgress,
    signal: ctx.signal,
    throttle: ctx.throttle,
    compute: action.compute,
  });
}

export async function runAction(ctx: PhaseContext, located: LocatedAction): Promise<void> {
  const { action, location } = located;
  if (action.kind === 'backfill') {
    await runBackfill(ctx, action, location, location.migration);
    return;
  }
  try {
    const done = await executeSqlAction(ctx.client, action, location, ctx.policy);
    ctx.onAction?.({ location, description: action.description, sql: action.sql, attempts: done.attempts, durationMs: done.durationMs });
  } catch (error) {
    if (located.tolerateMissing && error instanceof OperationFailedError && error.pgCode && MISSING_OBJECT_SQLSTATES.has(error.pgCode)) {
      return;
    }
    throw error;
  }
}

/**
 * Runs a phase's actions in order from `from`, recording progress after each so a crashed phase
 * resumes where it stopped (the list is a pure function of the stored migration, so it is the same
 * list again).
 */
export async function runActionsWithProgress(
  ctx: PhaseContext,
  actions: LocatedAction[],
  from: number,
  record: (done: number) => Promise<void>,
): Promise<void> {
  for (let i = from; i < actions.length; i++) {
    await runAction(ctx, actions[i]);
    await record(i + 1);
  }
}
