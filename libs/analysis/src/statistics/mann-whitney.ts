import { lowerTail, upperTail } from './standard-normal';

export interface MannWhitneyResult {
  /** Pairs (current, baseline) with current > baseline, a tie counting half: R's W for wilcox.test(current, baseline). */
  u: number;
  /** Standardised U after the tie and continuity corrections; 0 when every value is equal. */
  z: number;
  /** One-sided p under the normal approximation. */
  pValue: number;
}

/**
 * One-sided Mann-Whitney U test (Wilcoxon rank-sum) of `current` against `baseline`.
 * `greater`: current tends to be larger than baseline; `less`: smaller.
 *
 * The same numbers as R's `wilcox.test(current, baseline, alternative, exact = FALSE,
 * correct = TRUE)`: ties get the average of the ranks they span, the variance loses
 * Σ(t³ − t) / (N(N − 1)) for every group of t tied values, and U moves half a unit towards its
 * mean before it is standardised. When every value is equal (or a side is empty) there is no
 * evidence of a shift either way and p is 1, as in R.
 */
export function mannWhitneyOneSided(
  baseline: readonly number[],
  current: readonly number[],
  alternative: 'greater' | 'less',
): MannWhitneyResult {
  const nb = baseline.length;
  const nc = current.length;
  const { currentRankSum, tieTerm } = rankCurrent(baseline, current);
  const u = currentRankSum - (nc * (nc + 1)) / 2;
  const n = nb + nc;
  const variance = n < 2 ? 0 : ((nb * nc) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const continuity = alternative === 'greater' ? 0.5 : -0.5;
  const z = (u - (nb * nc) / 2 - continuity) / Math.sqrt(variance);
  return { u, z, pValue: alternative === 'greater' ? upperTail(z) : lowerTail(z) };
}

/** Ranks both samples together (average ranks for ties) and sums the current sample's ranks. */
function rankCurrent(baseline: readonly number[], current: readonly number[]): { currentRankSum: number; tieTerm: number } {
  const pooled = [
    ...baseline.map((value) => ({ value, isCurrent: false })),
    ...current.map((value) => ({ value, isCurrent: true })),
  ].sort((a, b) => a.value - b.value);
  let currentRankSum = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start + 1;
    while (end < pooled.length && pooled[end].value === pooled[start].value) end++;
    // Ranks start + 1 … end (1-based) are shared by the t = end - start tied values.
    const ties = end - start;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (pooled[i].isCurrent) currentRankSum += averageRank;
    tieTerm += ties ** 3 - ties;
    start = end;
  }
  return { currentRankSum, tieTerm };
}
