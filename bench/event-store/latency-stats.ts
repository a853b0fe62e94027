/** Nearest-rank percentiles of a sample (ms); the sample is sorted in place. */
export function percentiles(samples: number[]): { p50: number; p99: number; max: number; count: number } {
  samples.sort((a, b) => a - b);
  const at = (p: number) => (samples.length ? samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)] : NaN);
  return { p50: at(50), p99: at(99), max: samples.length ? samples[samples.length - 1] : NaN, count: samples.length };
}

/** Runs `writers` loops until the deadline and returns operations completed per second. */
export async function runWriters(writers: number, seconds: number, step: (writer: number) => Promise<number>): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  let done = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (Date.now() < deadline) {
        // Not `done += await step()`: that reads `done` before the await and loses the other writers' counts.
        const completed = await step(writer);
        done += completed;
      }
    }),
  );
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return done / elapsedSeconds;
}
