import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../router-adapter';

/** HdrHistogram works on integers: microseconds keep sub-millisecond latencies apart. */
const MICROS_PER_MS = 1000;

/** Cumulative latency distribution with 3 significant digits whatever the range (HdrHistogram). */
export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60 * 1000 * MICROS_PER_MS,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
  private sumMs = 0;

  record(latencyMs: number): void {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
    this.histogram.recordValue(Math.max(1, Math.round(latencyMs * MICROS_PER_MS)));
    this.sumMs += latencyMs;
  }

  summary(): LatencySummary | null {
    const count = this.histogram.totalCount;
    if (count === 0) return null;
    const at = (percentile: number) => this.histogram.getValueAtPercentile(percentile) / MICROS_PER_MS;
    return { count, p50: at(50), p95: at(95), p99: at(99), max: this.histogram.maxValue / MICROS_PER_MS, mean: this.sumMs / count };
  }
}
