import type { ProportionCounts } from '../judgement';
import { upperTail } from './standard-normal';

/**
 * One-sided pooled two-proportion z-test that the current failure rate is higher than the
 * baseline's: z = (p̂c − p̂b) / √(p̂(1 − p̂)(1/nb + 1/nc)) with p̂ the pooled rate, no continuity
 * correction (prop.test's Yates correction would make it more conservative still). When both
 * windows have no failures, or nothing but failures, the pooled variance is 0 and there is no
 * evidence of a rise: p is 1.
 */
export function rateRiseOneSided(baseline: ProportionCounts, current: ProportionCounts): { z: number; pValue: number } {
  const pooled = (baseline.failures + current.failures) / (baseline.attempts + current.attempts);
  const variance = pooled * (1 - pooled) * (1 / baseline.attempts + 1 / current.attempts);
  if (!(variance > 0)) return { z: 0, pValue: 1 };
  const z = (current.failures / current.attempts - baseline.failures / baseline.attempts) / Math.sqrt(variance);
  return { z, pValue: upperTail(z) };
}
