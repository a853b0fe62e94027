/**
 * Seeded samples for the judge's tests: the same seed gives the same numbers on every machine,
 * so a statistical test's pass rate is a fixed fact of the suite, not a flake.
 */

/** mulberry32: a 32-bit seeded generator of uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LogNormal {
  /** The distribution's median (e^μ). */
  median: number;
  /** σ of the logarithm: 0.1 is a steady per-scrape median, 0.5 single requests on a busy host. */
  sigma: number;
}

/** `count` log-normal samples (Box-Muller over the seeded generator), each multiplied by `scale`. */
export function logNormalSamples(seed: number, count: number, distribution: LogNormal, scale = 1): number[] {
  const uniform = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    return scale * distribution.median * Math.exp(distribution.sigma * normal);
  });
}
