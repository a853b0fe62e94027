import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackfillInterruptedError, LockTimeoutError, OperationFailedError, type OperationLocation } from '../errors';
import { sqlStateOf, type LockRetryPolicy } from '../execution/lock-retry-policy';
import { withLockTimeout } from '../execution/with-lock-timeout';
import type { Queryable } from '../introspection/queryable';
import type { TableModel } from '../model/schema-model';
import type { MigrationStore } from '../state/migration-store';
import { backfillKeyFor, type BackfillKey } from './backfill-key';
import type { BackfillOptions, BackfillProgress, BatchFigures } from './backfill-progress';
import type { BackfillCompute } from '../operations/operation';
import { quoteLiteral } from '../sql/identifiers';
import { BACKFILL_SKIP_SETTING } from '../operations/shared/sync-trigger';
import { BatchRangeSpans, type WalkPosition } from './batch-range-spans';
import { firstBatchRows, nextBatchRows, type BatchSizing } from './batch-sizing';
import { ctidBatchSql, keysetBoundSql, keysetUpdateSql, lastKeySql, tableSizeSql, type BatchAssignment } from './batch-sql';
import { checkpointDue } from './checkpoint-cadence';

export interface BackfillRun {
  client: Queryable;
  store: MigrationStore;
  schema: string;
  migration: string;
  table: TableModel;
  location: OperationLocation;
  options: BackfillOptions;
  policy: LockRetryPolicy;
  onProgress?: (progress: BackfillProgress) => void;
  /** Aborting stops between batches; the checkpoint stays, the next run resumes from it. */
  signal?: AbortSignal;
  /** Awaited between batches: holds the backfill while the target is throttled (see PhaseOptions). */
  throttle?: () => Promise<void>;
  /** The new columns computed by the batch itself, skipping the sync trigger (see BackfillAction). */
  compute?: BackfillCompute;
}

interface Cursor extends WalkPosition {
  done: boolean;
}

interface BatchResult {
  rows: number;
  lastKey: string[] | null;
  done: boolean;
  boundMs: number;
  updateMs: number;
}

/** A committed batch: what it did and where its transaction's time went. */
interface BatchOutcome {
  result: BatchResult;
  figures: BatchFigures;
}

function failed(run: BackfillRun, cursor: Cursor, error: unknown): Error {
  if (error instanceof LockTimeoutError) return error;
  return new OperationFailedError(
    run.location,
    sqlStateOf(error),
    `backfill of table "${run.table.physicalName}" failed after ${cursor.rowsDone} rows: ${(error as Error).message}`,
    { cause: error },
  );
}

/**
 * The batch transaction's BEGIN, with its settings in the same round trip (SET LOCAL: this
 * transaction only). Asynchronous commit: a server crash may lose the last batches, but their
 * checkpoints with them (same transaction), so the walk resumes before them and redoes them — a
 * batch is idempotent. It spares a WAL flush per batch. The skip setting lets the batch stand in
 * for the trigger whose columns it computes.
 */
function batchBegin(run: BackfillRun): string {
  const skip = run.compute ? `; SET LOCAL ${BACKFILL_SKIP_SETTING} = ${quoteLiteral(run.compute.trigger)}` : '';
  return `BEGIN; SET LOCAL synchronous_commit = off${skip}`;
}

function checkpointValues(run: BackfillRun, at: Cursor): unknown[] {
  const lastKey = at.lastKey === null ? null : JSON.stringify(at.lastKey);
  return [run.schema, run.migration, run.table.physicalName, at.rowsDone, at.batches, lastKey, at.done];
}

function advanced(cursor: Cursor, batch: BatchResult): Cursor {
  return { rowsDone: cursor.rowsDone + batch.rows, batches: cursor.batches + 1, lastKey: batch.lastKey, done: batch.done };
}

/**
 * Runs one batch; when a checkpoint is `due` (or the batch ends the walk) persists it in the same
 * short transaction, so the checkpoint never runs ahead of the data.
 */
async function runBatch(
  run: BackfillRun,
  cursor: Cursor,
  askedRows: number,
  due: boolean,
  batch: (client: Queryable) => Promise<BatchResult>,
): Promise<BatchOutcome> {
  const began = performance.now();
  try {
    const { result, attempts } = await withLockTimeout(
      run.client,
      run.policy,
      run.location,
      async (client) => {
        const done = await batch(client);
        if (!due && !done.done) return { done, checkpointMs: null };
        const at = performance.now();
        await client.query(run.store.checkpointSql(), checkpointValues(run, advanced(cursor, done)));
        return { done, checkpointMs: performance.now() - at };
      },
      batchBegin(run),
    );
    const { done, checkpointMs } = result;
    const ms = performance.now() - began;
    return { result: done, figures: { askedRows, rows: done.rows, ms, boundMs: done.boundMs, updateMs: done.updateMs, checkpointMs, attempts } };
  } catch (error) {
    throw failed(run, cursor, error);
  }
}

/** Persists the cursor on its own, for a walk that stops between checkpoints (aborted, or a batch failed). */
async function persistCheckpoint(run: BackfillRun, cursor: Cursor): Promise<void> {
  await withLockTimeout(run.client, run.policy, run.location, (client) => client.query(run.store.checkpointSql(), checkpointValues(run, cursor)));
}

function assignmentFor(run: BackfillRun, touch: string): BatchAssignment {
  return run.compute ? { kind: 'compute', assignments: run.compute.assignments } : { kind: 'touch', column: touch };
}

function keysetBatch(run: BackfillRun, key: Extract<BackfillKey, { kind: 'keyset' }>, cursor: Cursor, upper: string[], rows: number) {
  return async (client: Queryable): Promise<BatchResult> => {
    const first = cursor.lastKey === null;
    const after = cursor.lastKey ?? [];
    const began = performance.now();
    const bound = await client.query<Record<string, string>>(keysetBoundSql(run.schema, run.table.physicalName, key.columns, first), [
      rows - 1,
      ...after,
      ...upper,
    ]);
    const bounded = performance.now();
    const row = bound.rows[0];
    // No row: fewer than a batch of keys are left below `upper`, so this batch ends the walk.
    const end = row ? key.columns.map((_, i) => String(row[`k${i}`])) : upper;
    const sql = keysetUpdateSql(run.schema, run.table.physicalName, key.columns, assignmentFor(run, key.touch), first);
    const updated = await client.query(sql, [...after, ...end]);
    return {
      rows: updated.rowCount ?? 0,
      lastKey: end,
      done: !row || end.every((value, i) => value === upper[i]),
      boundMs: bounded - began,
      updateMs: performance.now() - bounded,
    };
  };
}

/** The key of the last row now (null: the table is empty). Taken after the triggers exist. */
async function upperBound(run: BackfillRun, key: Extract<BackfillKey, { kind: 'keyset' }>): Promise<string[] | null> {
  const { result } = await withLockTimeout(run.client, run.policy, run.location, (client) =>
    client.query<Record<string, string>>(lastKeySql(run.schema, run.table.physicalName, key.columns)),
  );
  const row = result.rows[0];
  return row ? key.columns.map((_, i) => String(row[`k${i}`])) : null;
}

function ctidBatch(run: BackfillRun, touch: string, cursor: Cursor, size: TableSize, rows: number) {
  return async (client: Queryable): Promise<BatchResult> => {
    const from = cursor.lastKey === null ? 0 : Number(cursor.lastKey[0]);
    const to = from + Math.max(1, Math.floor(rows / Math.max(1, size.rowsPerPage)));
    const began = performance.now();
    const result = await client.query(ctidBatchSql(run.schema, run.table.physicalName, assignmentFor(run, touch)), [`(${from},0)`, `(${to},0)`]);
    return { rows: result.rowCount ?? 0, lastKey: [String(to)], done: to >= size.pages, boundMs: 0, updateMs: performance.now() - began };
  };
}

interface TableSize {
  pages: number;
  rowEstimate: number | null;
  rowsPerPage: number;
}

async function tableSize(run: BackfillRun): Promise<TableSize> {
  // pg_relation_size locks the table: under lock_timeout like everything else.
  const { result } = await withLockTimeout(run.client, run.policy, run.location, (client) =>
    client.query<{ pages: string; row_estimate: number; relpages: string }>(tableSizeSql(), [run.schema, run.table.physicalName]),
  );
  const row = result.rows[0];
  const estimate = row && row.row_estimate >= 0 ? Math.round(row.row_estimate) : null;
  const relpages = Number(row?.relpages ?? 0);
  return {
    pages: Number(row?.pages ?? 0),
    rowEstimate: estimate,
    rowsPerPage: relpages > 0 && estimate ? estimate / relpages : 100,
  };
}

const NO_BATCH: BatchFigures = { askedRows: 0, rows: 0, ms: 0, boundMs: 0, updateMs: 0, checkpointMs: null, attempts: 0 };

function sizingOf(options: BackfillOptions): BatchSizing {
  return { targetMs: options.targetBatchMs, initialRows: options.batchSize, minRows: options.minBatchSize, maxRows: options.maxBatchSize };
}

/**
 * Backfills one table from its checkpoint (or from the start), one short transaction per batch,
 * each sized to take about `targetBatchMs` (see batch-sizing.ts), reporting every batch and
 * persisting a checkpoint every few (see checkpoint-cadence.ts). Rows written meanwhile are kept in
 * sync by the migration's triggers, so the walk only needs to visit the rows that existed when it
 * began.
 *
 * A batch is idempotent, which is what lets a crash redo the batches after the last checkpoint: it
 * sets the new columns from the row's current old columns — `compute` with the trigger's own
 * expressions, `touch` by firing that trigger — the same value the trigger gives a row the
 * application writes meanwhile. Redoing it recomputes what is already there (an `up` that is not a
 * function of the row, like now(), is re-evaluated, as on any write through the old version).
 */
export async function backfillTable(run: BackfillRun): Promise<BackfillProgress> {
  const saved = (await run.store.checkpoints(run.schema, run.migration)).find((c) => c.table === run.table.physicalName);
  const cursor: Cursor = saved
    ? { rowsDone: saved.rowsDone, batches: saved.batches, lastKey: saved.lastKey, done: saved.done }
    : { rowsDone: 0, batches: 0, lastKey: null, done: false };
  const size = await tableSize(run);
  const began = Date.now();
  const resumedFrom = cursor.rowsDone;
  // The batch count and time of the last persisted checkpoint.
  let persisted = { batches: cursor.batches, at: performance.now() };
  const progress = (batch: BatchFigures): BackfillProgress => {
    const elapsedMs = Date.now() - began;
    return {
      schema: run.schema,
      migration: run.migration,
      table: run.table.physicalName,
      rowsDone: cursor.rowsDone,
      batches: cursor.batches,
      lastKey: cursor.lastKey,
      totalEstimate: size.rowEstimate,
      done: cursor.done,
      checkpointed: persisted.batches === cursor.batches,
      resumedFrom,
      elapsedMs,
      rowsPerSecond: elapsedMs > 0 ? Math.round(((cursor.rowsDone - resumedFrom) * 1000) / elapsedMs) : 0,
      batch,
    };
  };
  const persistIfBehind = async () => {
    if (persisted.batches === cursor.batches) return;
    await persistCheckpoint(run, cursor);
    persisted = { batches: cursor.batches, at: performance.now() };
  };
  const key = backfillKeyFor(run.table);
  const upper = key.kind === 'keyset' ? await upperBound(run, key) : null;
  if (key.kind === 'keyset' && upper === null) cursor.done = true;
  const sizing = sizingOf(run.options);
  const cadence = { everyBatches: run.options.checkpointEveryBatches, intervalMs: run.options.checkpointIntervalMs };
  let rows = firstBatchRows(sizing);
  let last = NO_BATCH;
  const ranges = new BatchRangeSpans(run.table.physicalName);
  try {
    while (!cursor.done) {
      if (run.signal?.aborted) {
        // Stopped on purpose: keep every committed batch, not just those up to the last checkpoint.
        await persistIfBehind();
        throw new BackfillInterruptedError(run.location, run.table.physicalName, cursor.rowsDone);
      }
      const due = checkpointDue(cadence, { batches: cursor.batches - persisted.batches, ms: performance.now() - persisted.at });
      const batch = key.kind === 'keyset' ? keysetBatch(run, key, cursor, upper ?? [], rows) : ctidBatch(run, key.touch, cursor, size, rows);
      const outcome = await ranges.batch(cursor, () => runBatch(run, cursor, rows, due, batch));
      Object.assign(cursor, advanced(cursor, outcome.result));
      if (outcome.figures.checkpointMs !== null) persisted = { batches: cursor.batches, at: performance.now() };
      last = outcome.figures;
      ranges.moved(cursor);
      run.onProgress?.(progress(last));
      rows = nextBatchRows(sizing, rows, { rows: outcome.result.rows, ms: outcome.figures.ms });
      if (!cursor.done && run.options.delayMs > 0) await sleep(run.options.delayMs);
      if (!cursor.done) await run.throttle?.();
    }
  } catch (error) {
    // A failed batch rolled back alone; the ones before it committed. Best effort: a broken
    // connection fails here too, and the next run then redoes them from the last checkpoint.
    if (!(error instanceof BackfillInterruptedError)) await persistIfBehind().catch(() => undefined);
    throw error;
  } finally {
    ranges.end(cursor);
  }
  return progress(last);
}
