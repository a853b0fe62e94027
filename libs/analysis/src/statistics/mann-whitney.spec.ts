import { mannWhitneyOneSided } from './mann-whitney';

describe('mannWhitneyOneSided', () => {
  // Worked by hand. Pooled and sorted: 1b 2b 3b 3b 3c 4c 5c 6c; the three 3s share ranks 3–5,
  // average 4, so the current ranks sum to 4 + 6 + 7 + 8 = 25 and U = 25 − 4·5/2 = 15 (pairwise:
  // 3 beats 1 and 2 and ties two 3s = 3, then 4 + 4 + 4). Mean nb·nc/2 = 8. One tie group of
  // t = 3: σ² = (16/12)·(9 − (27 − 3)/(8·7)) = 11.428571…, σ = 3.3806170.
  // greater: z = (15 − 8 − 0.5)/σ = 1.9227259, p = 1 − Φ(z) = 0.0272572;
  // less:    z = (15 − 8 + 0.5)/σ = 2.2185299, p = Φ(z) = 0.9867406.
  // R: wilcox.test(c(3,4,5,6), c(1,2,3,3), alternative = "greater", exact = FALSE) gives
  // W = 15, p = 0.02726 (scipy's mannwhitneyu, method = "asymptotic", agrees to 1e-15).
  const baseline = [1, 2, 3, 3];
  const current = [3, 4, 5, 6];

  it('uses average ranks, the tie correction and the continuity correction (greater)', () => {
    const result = mannWhitneyOneSided(baseline, current, 'greater');
    expect(result.u).toBe(15);
    expect(result.z).toBeCloseTo(1.9227259, 6);
    expect(result.pValue).toBeCloseTo(0.0272572, 6);
  });

  it('moves the continuity correction the other way for less', () => {
    const result = mannWhitneyOneSided(baseline, current, 'less');
    expect(result.u).toBe(15);
    expect(result.z).toBeCloseTo(2.2185299, 6);
    expect(result.pValue).toBeCloseTo(0.9867406, 6);
  });

  // scipy's documentation example (males vs females, no ties): U = 17 and a two-sided asymptotic
  // p of 0.11134688653314041 with the continuity correction, so one-sided 0.0556734.
  it('matches the textbook example without ties', () => {
    const females = [20, 11, 17, 12];
    const males = [19, 22, 16, 29, 24];
    expect(mannWhitneyOneSided(females, males, 'greater')).toEqual({
      u: 17,
      z: expect.closeTo(1.5921683, 6),
      pValue: expect.closeTo(0.0556734, 6),
    });
    // Swapping the sides and the alternative is the same test: U becomes nb·nc − U = 3.
    expect(mannWhitneyOneSided(males, females, 'less')).toEqual({ u: 3, z: expect.closeTo(-1.5921683, 6), pValue: expect.closeTo(0.0556734, 6) });
  });

  it('reports no evidence when every value is tied or a side is empty', () => {
    expect(mannWhitneyOneSided([5, 5, 5], [5, 5], 'greater')).toEqual({ u: 3, z: 0, pValue: 1 });
    expect(mannWhitneyOneSided([], [1, 2, 3], 'greater')).toEqual({ u: 0, z: 0, pValue: 1 });
  });

  it('keeps small p-values beyond the four-digit normal table', () => {
    const low = Array.from({ length: 40 }, (_, i) => i);
    const high = Array.from({ length: 40 }, (_, i) => 100 + i);
    const { pValue } = mannWhitneyOneSided(low, high, 'greater');
    // Complete separation of 40 vs 40: z = (1600 − 800 − 0.5)/√(1600·81/12) = 7.69, p ≈ 7e-15.
    expect(pValue).toBeGreaterThan(0);
    expect(pValue).toBeLessThan(1e-13);
  });

  it('does not reorder the callers arrays', () => {
    const unsorted = [3, 1, 2];
    mannWhitneyOneSided(unsorted, [0, 5], 'less');
    expect(unsorted).toEqual([3, 1, 2]);
  });
});
