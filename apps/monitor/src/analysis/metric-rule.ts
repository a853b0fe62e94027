import type { MetricRule } from '@bascule/analysis';
import { percentToFraction, type MonitorMetric } from '@bascule/contracts';

/**
 * The smallest worsening of a probe's median latency that counts, whatever its percentage: on this
 * project's 2-core hosts a sub-millisecond query's window medians move by 0.1–0.3 ms with nothing
 * changed (scheduling, CPU wake-ups, the neighbours' work), which is more than 20 % of 0.6 ms and
 * is what rolled good migrations back (`npm run bench:monitor`, "Monitor" in docs/benchmarks.md).
 */
export const PROBE_LATENCY_FLOOR_MS = 0.5;

/** How the judge reads a spec metric: its direction, relative threshold, bounds, and for probes the unit and floor. */
export function ruleOf(metric: MonitorMetric): MetricRule {
  return {
    direction: metric.direction,
    ...(metric.degradation ? { degradation: percentToFraction(metric.degradation) ?? undefined } : {}),
    ...(metric.max !== undefined ? { max: metric.max } : {}),
    ...(metric.min !== undefined ? { min: metric.min } : {}),
    ...(metric.probe ? { unit: 'ms', floor: PROBE_LATENCY_FLOOR_MS } : {}),
  };
}
