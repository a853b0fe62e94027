import { SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackfillInterruptedError, LockTimeoutError, OperationFailedError, type OperationLocation } from '../errors';
import { sqlStateOf, type LockRetryPolicy } from '../execution/lock-retry-policy';
import { withLockTimeout } from '../execution/with-lock-timeout';
import type { Queryable } from '../introspection/queryable';
import type { TableModel } from '../model/schema-model';
import type { MigrationStore } from '../state/migration-store';
import { backfillKeyFor, type BackfillKey } from './backfill-key';
import type { BackfillOptions, BackfillProgress } from './backfill-progress';
import type { BackfillCompute } from '../operations/operation';
import { quoteLiteral } from '../sql/identifiers';
import { BACKFILL_SKIP_SETTING } from '../operations/shared/sync-trigger';
import { ctidBatchSql, keysetBoundSql, keysetUpdateSql, lastKeySql, tableSizeSql, type BatchAssignment } from './batch-sql';

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

interface Cursor {
  rowsDone: number;
  batches: number;
  lastKey: string[] | null;
  done: boolean;
}

interface BatchResult {
  rows: number;
  lastKey: string[] | null;
  done: boolean;
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

/** Runs one batch and persists its checkpoint in the same short transaction: the checkpoint never runs ahead of the data. */
async function runBatch(run: BackfillRun, cursor: Cursor, batch: (client: Queryable) => Promise<BatchResult>): Promise<BatchResult> {
  try {
    const { result } = await withLockTimeout(
      run.client,
      run.policy,
      run.location,
      async (client) => {
        const done = await batch(client);
        await client.query(run.store.checkpointSql(), [
          run.schema,
          run.migration,
          run.table.physicalName,
          cursor.rowsDone + done.rows,
          cursor.batches + 1,
          done.lastKey === null ? null : JSON.stringify(done.lastKey),
          done.done,
        ]);
        return done;
      },
      batchBegin(run),
    );
    return result;
  } catch (error) {
    throw failed(run, cursor, error);
  }
}

function assignmentFor(run: BackfillRun, touch: string): BatchAssignment {
  return run.compute ? { kind: 'compute', assignments: run.compute.assignments } : { kind: 'touch', column: touch };
}

function keysetBatch(run: BackfillRun, key: Extract<BackfillKey, { kind: 'keyset' }>, cursor: Cursor, upper: string[]) {
  return async (client: Queryable): Promise<BatchResult> => {
    const first = cursor.lastKey === null;
    const after = cursor.lastKey ?? [];
    const bound = await client.query<Record<string, string>>(keysetBoundSql(run.schema, run.table.physicalName, key.columns, first), [
      run.options.batchSize - 1,
      ...after,
      ...upper,
    ]);
    const row = bound.rows[0];
    // No row: fewer than a batch of keys are left below `upper`, so this batch ends the walk.
    const end = row ? key.columns.map((_, i) => String(row[`k${i}`])) : upper;
    const sql = keysetUpdateSql(run.schema, run.table.physicalName, key.columns, assignmentFor(run, key.touch), first);
    const updated = await client.query(sql, [...after, ...end]);
    return { rows: updated.rowCount ?? 0, lastKey: end, done: !row || end.every((value, i) => value === upper[i]) };
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

function ctidBatch(run: BackfillRun, touch: string, cursor: Cursor, pages: number, pagesPerBatch: number) {
  return async (client: Queryable): Promise<BatchResult> => {
    const from = cursor.lastKey === null ? 0 : Number(cursor.lastKey[0]);
    const to = from + pagesPerBatch;
    const result = await client.query(ctidBatchSql(run.schema, run.table.physicalName, assignmentFor(run, touch)), [`(${from},0)`, `(${to},0)`]);
    return { rows: result.rowCount ?? 0, lastKey: [String(to)], done: to >= pages };
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

/**
 * Backfills one table from its checkpoint (or from the start), one short transaction per batch,
 * reporting every checkpoint. Rows written meanwhile are kept in sync by the migration's triggers,
 * so the walk only needs to visit the rows that existed when it began.
 */
export async function backfillTable(run: BackfillRun): Promise<BackfillProgress> {
  const saved = (await run.store.checkpoints(run.schema, run.migration)).find((c) => c.table === run.table.physicalName);
  const cursor: Cursor = saved
    ? { rowsDone: saved.rowsDone, batches: saved.batches, lastKey: saved.lastKey, done: saved.done }
    : { rowsDone: 0, batches: 0, lastKey: null, done: false };
  const size = await tableSize(run);
  const began = Date.now();
  const resumedFrom = cursor.rowsDone;
  const progress = (): BackfillProgress => {
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
      resumedFrom,
      elapsedMs,
      rowsPerSecond: elapsedMs > 0 ? Math.round(((cursor.rowsDone - resumedFrom) * 1000) / elapsedMs) : 0,
    };
  };
  const key = backfillKeyFor(run.table);
  const pagesPerBatch = Math.max(1, Math.floor(run.options.batchSize / Math.max(1, size.rowsPerPage)));
  const upper = key.kind === 'keyset' ? await upperBound(run, key) : null;
  if (key.kind === 'keyset' && upper === null) cursor.done = true;
  const ranges = new BatchRangeSpans(run.table.physicalName);
  try {
    while (!cursor.done) {
      if (run.signal?.aborted) throw new BackfillInterruptedError(run.location, run.table.physicalName, cursor.rowsDone);
      const batch =
        key.kind === 'keyset' ? keysetBatch(run, key, cursor, upper ?? []) : ctidBatch(run, key.touch, cursor, size.pages, pagesPerBatch);
      const result = await ranges.batch(cursor, () => runBatch(run, cursor, batch));
      cursor.rowsDone += result.rows;
      cursor.batches += 1;
      cursor.lastKey = result.lastKey;
      cursor.done = result.done;
      ranges.moved(cursor);
      run.onProgress?.(progress());
      if (!cursor.done && run.options.delayMs > 0) await sleep(run.options.delayMs);
      if (!cursor.done) await run.throttle?.();
    }
  } finally {
    ranges.end(cursor);
  }
  return progress();
}

/** A span covers this long a run of batches: one per batch would be thousands for a large table. */
const BATCH_RANGE_SPAN_MS = 1_000;

/**
 * The backfill as spans of the step's trace, one per range of batches (about a second's worth),
 * each saying which keys and how many rows it covered. The batches' own queries are not spans.
 */
class BatchRangeSpans {
  private span: Span | undefined;
  private openedAt = 0;
  private rowsAtOpen = 0;
  private batchesAtOpen = 0;

  constructor(private readonly table: string) {}

  async batch<T>(cursor: Cursor, run: () => Promise<T>): Promise<T> {
    if (!this.span) {
      this.span = trace.getTracer('bascule').startSpan('backfill batches', {
        attributes: { 'db.collection.name': this.table, 'bascule.backfill.from_key': JSON.stringify(cursor.lastKey) },
      });
      this.openedAt = Date.now();
      this.rowsAtOpen = cursor.rowsDone;
      this.batchesAtOpen = cursor.batches;
    }
    const inRange = suppressTracing(trace.setSpan(context.active(), this.span));
    try {
      return await context.with(inRange, run);
    } catch (error) {
      this.span.recordException(error instanceof Error ? error : String(error));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      this.end(cursor);
      throw error;
    }
  }

  /** After the cursor moved past a batch: ends the range once it has run long enough. */
  moved(cursor: Cursor): void {
    if (Date.now() - this.openedAt >= BATCH_RANGE_SPAN_MS) this.end(cursor);
  }

  /** The range ends at the cursor's key. */
  end(cursor: Cursor): void {
    if (!this.span) return;
    this.span.setAttributes({
      'bascule.backfill.to_key': JSON.stringify(cursor.lastKey),
      'bascule.backfill.rows': cursor.rowsDone - this.rowsAtOpen,
      'bascule.backfill.batches': cursor.batches - this.batchesAtOpen,
    });
    this.span.end();
    this.span = undefined;
  }
}
