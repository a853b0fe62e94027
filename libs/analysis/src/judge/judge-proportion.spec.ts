import { isInvalidAnalysisInputError } from '../errors';
import { judgeProportion } from './judge-proportion';

describe('judgeProportion', () => {
  it('fails 0/100 → 10/100 at a five-point threshold', () => {
    // Pooled rate 0.05: z = 0.1 / √(0.05 · 0.95 · (1/100 + 1/100)) = 3.2444, p = 1 − Φ(z) = 0.000588.
    const judgement = judgeProportion({ degradation: 0.05 }, { failures: 0, attempts: 100 }, { failures: 10, attempts: 100 });
    expect(judgement).toMatchObject({ verdict: 'fail', baseline: 0, current: 0.1, change: 0.1, threshold: 0.05, samples: { baseline: 100, current: 100 } });
    expect(judgement.pValue).toBeCloseTo(0.000588, 6);
    expect(judgement.reason).toBe(
      'failure rate 10 % vs baseline 0 %: 10 points higher (threshold 5 points), p = 0.00059 over 100 baseline and 100 current attempts',
    );
  });

  it('passes 1/100 → 2/100: one point is within five', () => {
    const judgement = judgeProportion({ degradation: 0.05 }, { failures: 1, attempts: 100 }, { failures: 2, attempts: 100 });
    expect(judgement.verdict).toBe('pass');
    expect(judgement.change).toBeCloseTo(0.01, 12);
    // z = 0.01 / √(0.015 · 0.985 · 0.02) = 0.5817.
    expect(judgement.pValue).toBeCloseTo(0.28037, 5);
  });

  it('passes a rise beyond the threshold that the test does not confirm', () => {
    // 0/30 → 3/30 is ten points, but z = 1.777 and p = 0.038 is not below 0.01.
    const judgement = judgeProportion({ degradation: 0.05 }, { failures: 0, attempts: 30 }, { failures: 3, attempts: 30 });
    expect(judgement.verdict).toBe('pass');
    expect(judgement.pValue).toBeCloseTo(0.03778, 5);
    expect(judgement.reason).toContain('p = 0.038 (needs < 0.01)');
  });

  it('passes a falling rate', () => {
    const judgement = judgeProportion({ degradation: 0.05 }, { failures: 10, attempts: 100 }, { failures: 0, attempts: 100 });
    expect(judgement).toMatchObject({ verdict: 'pass', change: -0.1 });
    expect(judgement.pValue).toBeGreaterThan(0.99);
  });

  it('is insufficient under minSamples attempts on either side', () => {
    const few = { failures: 5, attempts: 29 };
    const many = { failures: 0, attempts: 1000 };
    expect(judgeProportion({ degradation: 0.05 }, many, few)).toMatchObject({ verdict: 'insufficient', pValue: null });
    expect(judgeProportion({ degradation: 0.05 }, few, many)).toMatchObject({ verdict: 'insufficient', pValue: null });
    expect(judgeProportion({ degradation: 0.05 }, many, few).reason).toBe(
      'failure rate 17 % vs baseline 0 % over 1000 baseline and 29 current attempts: too few to compare (30 needed on each side)',
    );
  });

  it('bounds the current rate with max, without a baseline', () => {
    const none = { failures: 0, attempts: 0 };
    expect(judgeProportion({ max: 0.05 }, none, { failures: 8, attempts: 100 })).toMatchObject({
      verdict: 'fail',
      reason: 'failure rate 8 % is above the maximum 5 % over 100 current attempts',
    });
    expect(judgeProportion({ max: 0.05 }, none, { failures: 2, attempts: 100 }).verdict).toBe('pass');
  });

  it('does not let one failure out of one attempt break the bound', () => {
    const judgement = judgeProportion({ max: 0.05 }, { failures: 0, attempts: 0 }, { failures: 1, attempts: 1 });
    expect(judgement).toMatchObject({ verdict: 'insufficient', current: 1 });
    expect(judgement.reason).toBe('0 baseline and 1 current attempt: too few to bound the rate (30 needed)');
  });

  it.each([
    ['more failures than attempts', { failures: 3, attempts: 2 }],
    ['a fractional count', { failures: 0.5, attempts: 2 }],
    ['negative attempts', { failures: 0, attempts: -1 }],
  ])('refuses %s', (_, counts) => {
    expect.assertions(1);
    try {
      judgeProportion({ degradation: 0.05 }, { failures: 0, attempts: 100 }, counts);
    } catch (error) {
      expect(isInvalidAnalysisInputError(error)).toBe(true);
    }
  });

  it('refuses a threshold given in percent instead of a fraction', () => {
    expect(() => judgeProportion({ degradation: 5 }, { failures: 0, attempts: 100 }, { failures: 0, attempts: 100 })).toThrow(
      'rule.degradation must be a number from 0 to 1, got 5',
    );
  });
});
