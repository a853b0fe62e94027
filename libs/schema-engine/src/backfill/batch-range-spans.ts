import { SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** A span covers this long a run of batches: one per batch would be thousands for a large table. */
const BATCH_RANGE_SPAN_MS = 1_000;

/** Where the walk is, as the spans report it. */
export interface WalkPosition {
  rowsDone: number;
  batches: number;
  lastKey: string[] | null;
}

/**
 * The backfill as spans of the step's trace, one per range of batches (about a second's worth),
 * each saying which keys and how many rows it covered. The batches' own queries are not spans.
 */
export class BatchRangeSpans {
  private span: Span | undefined;
  private openedAt = 0;
  private rowsAtOpen = 0;
  private batchesAtOpen = 0;

  constructor(private readonly table: string) {}

  async batch<T>(cursor: WalkPosition, run: () => Promise<T>): Promise<T> {
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
  moved(cursor: WalkPosition): void {
    if (Date.now() - this.openedAt >= BATCH_RANGE_SPAN_MS) this.end(cursor);
  }

  /** The range ends at the cursor's key. */
  end(cursor: WalkPosition): void {
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
