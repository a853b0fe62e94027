import { InvalidTrafficSharesError } from '../errors';
import type { TrafficShares } from '../router-adapter';

/** One weight to set on the router; a plan is applied in order. */
export interface WeightChange {
  version: string;
  weight: number;
}

/**
 * The shares for every known version (left-out versions get 0), after checking they are whole
 * percents summing to 100. Checked before anything is applied: a half-applied bad request could
 * leave every version at 0.
 */
export function resolveShares(shares: TrafficShares, versions: readonly string[]): TrafficShares {
  const unknown = Object.keys(shares).filter((version) => !versions.includes(version));
  if (unknown.length > 0) throw new InvalidTrafficSharesError(shares, `unknown version ${unknown.join(', ')} (known: ${versions.join(', ')})`);
  const resolved: TrafficShares = {};
  let total = 0;
  for (const version of versions) {
    const share = shares[version] ?? 0;
    if (!Number.isInteger(share) || share < 0 || share > 100) throw new InvalidTrafficSharesError(shares, `${version} has ${share}`);
    resolved[version] = share;
    total += share;
  }
  if (total !== 100) throw new InvalidTrafficSharesError(shares, `they sum to ${total}`);
  return resolved;
}

/**
 * The changes that take the router from `current` to `target` weights: every raise before any
 * lowering. Between two steps the router runs with a mix of old and new weights; raising first
 * means that mix always has at least the target's non-zero versions, never all zeros (100/0 → 0/100
 * passes through 100/100, not 0/0).
 */
export function planWeightChanges(current: Readonly<Record<string, number>>, target: Readonly<Record<string, number>>): WeightChange[] {
  const raises: WeightChange[] = [];
  const lowers: WeightChange[] = [];
  for (const [version, weight] of Object.entries(target)) {
    const before = current[version] ?? 0;
    if (weight > before) raises.push({ version, weight });
    else if (weight < before) lowers.push({ version, weight });
  }
  return [...raises, ...lowers];
}

/** Weights as percents of their sum (all 0 when the sum is 0). */
export function sharesOf(weights: Readonly<Record<string, number>>): TrafficShares {
  const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  return Object.fromEntries(Object.entries(weights).map(([version, weight]) => [version, total === 0 ? 0 : (weight * 100) / total]));
}
