import { performance } from 'node:perf_hooks';

export interface Timed<T> {
  ms: number;
  result: T;
}

export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** The fastest of `runs` runs (warm cache): the figure least disturbed by other load on a shared machine. */
export async function bestOf<T>(runs: number, work: () => Promise<T>): Promise<Timed<T>> {
  let best: Timed<T> | undefined;
  for (let i = 0; i < runs; i += 1) {
    const run = await timed(work);
    if (!best || run.ms < best.ms) best = run;
  }
  return best as Timed<T>;
}

export function rowsPerSecond(rows: number, ms: number): number {
  return Math.round((rows * 1000) / ms);
}
