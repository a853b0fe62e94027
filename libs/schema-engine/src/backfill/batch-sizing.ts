/**
 * How many rows the next backfill batch asks for. `targetMs` 0: always `initialRows` (a fixed
 * size). Otherwise the rows the last batch's measured rate would do in `targetMs`, within
 * [`minRows`, `maxRows`] and within a factor of 2 of the current size either way: one batch that
 * waited on a row lock or a checkpoint's fsync halves the next, it does not collapse the walk to
 * `minRows`; one lucky batch doubles it, it does not jump to `maxRows`.
 */
export interface BatchSizing {
  targetMs: number;
  initialRows: number;
  minRows: number;
  maxRows: number;
}

/** What one committed batch did: the rows it updated and how long its transaction took. */
export interface BatchMeasure {
  rows: number;
  ms: number;
}

/** The most a size changes from one batch to the next, as a factor (and its inverse). */
export const MAX_STEP_FACTOR = 2;

export function firstBatchRows(sizing: BatchSizing): number {
  return sizing.targetMs > 0 ? clamp(sizing.initialRows, sizing.minRows, sizing.maxRows) : sizing.initialRows;
}

export function nextBatchRows(sizing: BatchSizing, current: number, last: BatchMeasure): number {
  if (sizing.targetMs <= 0) return sizing.initialRows;
  // No rows (a ctid range of empty pages, a keyset gap): no rate to learn from.
  if (last.rows <= 0) return current;
  // A batch faster than the clock can tell is fast: grow by the most a step allows.
  const ideal = last.ms > 0 ? (last.rows / last.ms) * sizing.targetMs : current * MAX_STEP_FACTOR;
  const stepped = clamp(ideal, current / MAX_STEP_FACTOR, current * MAX_STEP_FACTOR);
  return Math.round(clamp(stepped, sizing.minRows, sizing.maxRows));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
