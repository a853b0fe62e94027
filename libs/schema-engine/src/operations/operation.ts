import type { z } from 'zod';
import type { SchemaModel } from '../model/schema-model';

/**
 * One step of work the executor carries out. Operations only *describe* work (pure functions of
 * the operation and the model); the executor runs it. That is what lets `bascule schema plan`
 * print exactly the SQL a phase will run, and what makes every operation unit-testable without a
 * database.
 */
export type Action = SqlAction | BackfillAction;

export interface SqlAction {
  kind: 'sql';
  /** One statement (or, for the `sql` operation only, the user's script). */
  sql: string;
  /** What it does, for plans, logs and events: "add column _bascule_new_rating to reviews". */
  description: string;
  /**
   * `true` (default): runs in its own short transaction under `lock_timeout`, retried with
   * exponential backoff and jitter on lock timeout (SQLSTATE 55P03).
   * `false`: runs outside a transaction (CREATE/DROP INDEX CONCURRENTLY), still under
   * `lock_timeout` with retry; a failed concurrent build leaves an INVALID index, which the action
   * that follows the retry must drop first — so concurrent actions must be idempotent
   * (`IF NOT EXISTS` / `IF EXISTS`).
   */
  transactional?: boolean;
}

/**
 * Re-writes every existing row of a physical table in keyset batches so that the triggers an
 * operation installed fill the new physical columns. The executor owns batching, checkpoints
 * and resumption.
 */
export interface BackfillAction {
  kind: 'backfill';
  /** Physical table name in the migration's schema. */
  table: string;
  description: string;
  /**
   * Optional: the work of the operation's old→new sync trigger as SQL over the physical row. When
   * the table's backfill serves only this operation, the batches assign these columns themselves
   * and skip that trigger (see `BACKFILL_SKIP_SETTING`); otherwise they fire the triggers.
   */
  compute?: BackfillCompute;
}

export interface BackfillCompute {
  /** The trigger the backfill's own UPDATE skips. */
  trigger: string;
  /** Physical column := expression over the physical columns. */
  assignments: Array<{ column: string; expression: string }>;
}

/** A problem found in a migration, before anything is changed. */
export interface ValidationIssue {
  /** Path inside the migration file, e.g. `operations[2].alter_column.up`. */
  path: string;
  /** Stable code, e.g. `table_not_found`, `column_exists`, `field_required`. */
  code: string;
  message: string;
}

export interface OperationContext {
  /** Physical schema the migration changes, e.g. `public`. */
  schema: string;
  /** Migration name (file name without extension, or the planner step id). */
  migrationName: string;
  /** Version schema this migration creates: `<schema>_<name>` or `<schema>_<version_schema>`. */
  versionSchema: string;
  /**
   * For `start` and `validate`: the model as the operations before this one in the same migration
   * left it (the first operation sees the live schema).
   * For `complete` and `rollback`: the same model the operation's `start` saw (stored with the
   * migration's state), so complete/rollback know what existed before.
   */
  model: SchemaModel;
  /** Index of this operation in the migration's `operations`, for issue paths: `operations[i]`. */
  index: number;
}

export interface StartPlan {
  actions: Action[];
  /** The model as the new version sees it after this operation. */
  model: SchemaModel;
}

/**
 * An operation of the pgroll file format: its strict schema and its three phases side by side.
 * `K` is the key in the file (`alter_column`), `O` the parsed body.
 */
export interface OperationDefinition<K extends string = string, O = unknown> {
  kind: K;
  /** Strict zod schema of the body (unknown fields are errors). */
  schema: z.ZodType<O>;
  /** Checks against the model, before anything changes. Issue paths start with `operations[i].<kind>`. */
  validate(op: O, ctx: OperationContext): ValidationIssue[];
  start(op: O, ctx: OperationContext): StartPlan;
  complete(op: O, ctx: OperationContext): Action[];
  rollback(op: O, ctx: OperationContext): Action[];
  /**
   * Optional. `true` when this operation must be the only one of its migration (pgroll: the `sql`
   * operation unless `onComplete`). The parser reports `operation_not_isolated` otherwise.
   */
  isolated?(op: O): boolean;
  /**
   * Optional. `true` when the model after `start` can only be known by reading the database (raw
   * `sql`): the runner re-introspects after this operation's start actions ran (the `model` its
   * `start` returned is then only used by `plan`), and re-creates the version schema's views after
   * `complete` (pgroll's RequiresSchemaRefreshOperation).
   */
  refreshesModel?(op: O): boolean;
}

/** Helper so each operation file can declare itself with full type inference. */
export function defineOperation<K extends string, O>(definition: OperationDefinition<K, O>): OperationDefinition<K, O> {
  return definition;
}
