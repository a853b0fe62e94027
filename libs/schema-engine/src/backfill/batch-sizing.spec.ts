import { firstBatchRows, nextBatchRows, type BatchSizing } from './batch-sizing';

const adaptive: BatchSizing = { targetMs: 50, initialRows: 5000, minRows: 100, maxRows: 100_000 };
const fixed: BatchSizing = { ...adaptive, targetMs: 0 };

/** Sizes over a run of batches whose time is `msFor(rows)`. */
function walk(sizing: BatchSizing, batches: number, msFor: (rows: number) => number): number[] {
  const sizes = [firstBatchRows(sizing)];
  for (let i = 1; i < batches; i++) {
    const rows = sizes[i - 1];
    sizes.push(nextBatchRows(sizing, rows, { rows, ms: msFor(rows) }));
  }
  return sizes;
}

describe('batch sizing by time', () => {
  it('keeps the configured size when no target is set, however the batches went', () => {
    expect(firstBatchRows(fixed)).toBe(5000);
    expect(nextBatchRows(fixed, 5000, { rows: 5000, ms: 1 })).toBe(5000);
    expect(nextBatchRows(fixed, 5000, { rows: 5000, ms: 10_000 })).toBe(5000);
  });

  it('grows on a fast (idle) table, at most doubling per batch, until a batch takes the target', () => {
    // 300 rows/ms (an idle table): the target of 50 ms is 15,000 rows.
    const sizes = walk(adaptive, 5, (rows) => rows / 300);
    expect(sizes).toEqual([5000, 10_000, 15_000, 15_000, 15_000]);
  });

  it('shrinks on a slow (busy) table, at most halving per batch, until a batch takes the target', () => {
    // 10 rows/ms: 500 rows in 50 ms.
    const sizes = walk(adaptive, 6, (rows) => rows / 10);
    expect(sizes).toEqual([5000, 2500, 1250, 625, 500, 500]);
  });

  it('one slow batch halves the next size, it does not collapse it; the next normal batch restores it', () => {
    const afterStall = nextBatchRows(adaptive, 15_000, { rows: 15_000, ms: 5_000 });
    expect(afterStall).toBe(7500);
    expect(nextBatchRows(adaptive, afterStall, { rows: afterStall, ms: afterStall / 300 })).toBe(15_000);
  });

  it('stays within the bounds', () => {
    expect(walk(adaptive, 20, (rows) => rows / 100_000).at(-1)).toBe(100_000);
    expect(walk(adaptive, 20, (rows) => rows / 0.01).at(-1)).toBe(100);
    expect(firstBatchRows({ ...adaptive, initialRows: 1_000_000 })).toBe(100_000);
  });

  it('learns nothing from a batch without rows, and treats a batch under a millisecond as fast', () => {
    expect(nextBatchRows(adaptive, 4000, { rows: 0, ms: 30 })).toBe(4000);
    expect(nextBatchRows(adaptive, 4000, { rows: 4000, ms: 0 })).toBe(8000);
  });
});
