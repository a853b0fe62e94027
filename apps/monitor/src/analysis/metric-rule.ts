import { LATENCY_FLOOR_MS, type MetricRule } from '@bascule/analysis';
import { percentToFraction, type MonitorMetric } from '@bascule/contracts';

/** The smallest worsening of a probe's median latency that counts, whatever its percentage. */
export const PROBE_LATENCY_FLOOR_MS = LATENCY_FLOOR_MS;

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
