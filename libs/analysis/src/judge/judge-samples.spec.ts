import { isInvalidAnalysisInputError } from '../errors';
import type { MetricRule } from '../judgement';
import { logNormalSamples, type LogNormal } from '../test-support/latency-samples';
import { judgeSamples } from './judge-samples';

const latency: MetricRule = { direction: 'lower-is-better', degradation: 0.2, unit: 'ms' };
/** Per-scrape medians of a steady service: 8 ms, about 10 % from one scrape to the next. */
const steady: LogNormal = { median: 8, sigma: 0.1 };
/** A noisy machine: single requests' latencies, about 50 % apart. */
const noisy: LogNormal = { median: 8, sigma: 0.5 };

/** Runs `runs` windows of 40 baseline and 40 current samples with fresh seeds; current is scaled by `scale`. */
function verdicts(rule: MetricRule, distribution: LogNormal, scale: number, runs: number, firstSeed: number) {
  return Array.from({ length: runs }, (_, run) => {
    const baseline = logNormalSamples(firstSeed + 2 * run, 40, distribution);
    const current = logNormalSamples(firstSeed + 2 * run + 1, 40, distribution, scale);
    return judgeSamples(rule, baseline, current);
  });
}

const count = (judgements: { verdict: string }[], verdict: string) => judgements.filter((j) => j.verdict === verdict).length;

describe('judgeSamples on latency (lower is better)', () => {
  it('never fails 200 pairs drawn from the same distribution', () => {
    const judgements = verdicts(latency, steady, 1, 200, 1_000);
    expect(count(judgements, 'pass')).toBe(200);
  });

  it('keeps a noisy machine from failing a good change: the test vetoes what the threshold alone would fail', () => {
    const judgements = verdicts(latency, noisy, 1, 200, 5_000);
    const beyondThreshold = judgements.filter((j) => j.change !== null && j.change > 0.2).length;
    // These seeds: 17 of 200 beyond the threshold, 1 failed. Over 20 000 such pairs the threshold
    // alone fails 9.4 % and the judge 0.9 %, about alpha: the test's false alarms are what remain.
    expect(beyondThreshold).toBeGreaterThanOrEqual(8);
    expect(count(judgements, 'fail')).toBeLessThanOrEqual(5);
  });

  it('fails +50 % latency in at least 19 of 20 windows', () => {
    const judgements = verdicts(latency, steady, 1.5, 20, 10_000);
    expect(count(judgements, 'fail')).toBeGreaterThanOrEqual(19);
    expect(judgements[0]).toMatchObject({ threshold: 0.2, samples: { baseline: 40, current: 40 } });
    expect(judgements[0].change).toBeGreaterThan(0.3);
    expect(judgements[0].pValue).toBeLessThan(0.0001);
  });

  it('passes +10 % latency at a 20 % threshold in all of 20 windows, though the shift is significant', () => {
    const judgements = verdicts(latency, steady, 1.1, 20, 20_000);
    expect(count(judgements, 'pass')).toBe(20);
    // The test sees the 10 % shift; the threshold is what lets it through.
    expect(judgements.filter((j) => j.pValue !== null && j.pValue < 0.01).length).toBeGreaterThanOrEqual(15);
  });

  it('tells the numbers behind a failure in one sentence', () => {
    const spread = Array.from({ length: 40 }, (_, i) => (i - 19.5) * 0.02);
    const judgement = judgeSamples(
      latency,
      spread.map((offset) => 8.1 + offset),
      spread.map((offset) => 12.4 + offset),
    );
    expect(judgement).toMatchObject({ verdict: 'fail', baseline: expect.closeTo(8.1, 9), current: expect.closeTo(12.4, 9) });
    expect(judgement.change).toBeCloseTo(4.3 / 8.1, 9);
    expect(judgement.reason).toBe('median 12.4 ms vs baseline 8.1 ms: 53 % worse (threshold 20 %), p < 0.0001 over 40 baseline and 40 current samples');
  });

  it('says when a shift beyond the threshold is not significant', () => {
    // Medians 50 % apart, but the two windows differ by one sample: no evidence of a shift.
    const baseline = [...Array(20).fill(10), ...Array(20).fill(30)];
    const current = [...Array(19).fill(10), ...Array(21).fill(30)];
    const judgement = judgeSamples(latency, baseline, current);
    expect(judgement.verdict).toBe('pass');
    expect(judgement.change).toBe(0.5);
    expect(judgement.reason).toMatch(/^median 30 ms vs baseline 20 ms: 50 % worse \(threshold 20 %\), p = 0\.\d+ \(needs < 0\.01\) over/);
  });
});

describe('judgeSamples on throughput (higher is better)', () => {
  const throughput: MetricRule = { direction: 'higher-is-better', degradation: 0.2, unit: 'req/s' };
  const load: LogNormal = { median: 1200, sigma: 0.1 };

  it('fails a 50 % drop', () => {
    const judgement = judgeSamples(throughput, logNormalSamples(1, 40, load), logNormalSamples(2, 40, load, 0.5));
    expect(judgement.verdict).toBe('fail');
    expect(judgement.change).toBeGreaterThan(0.4);
    expect(judgement.reason).toMatch(/% worse/);
  });

  it('passes a 50 % rise, reading it as better', () => {
    const judgement = judgeSamples(throughput, logNormalSamples(1, 40, load), logNormalSamples(2, 40, load, 1.5));
    expect(judgement.verdict).toBe('pass');
    expect(judgement.change).toBeLessThan(-0.4);
    expect(judgement.pValue).toBeGreaterThan(0.99);
    expect(judgement.reason).toMatch(/% better/);
  });
});

describe('judgeSamples with absolute bounds', () => {
  it('fails a median above max from a single sample, with no baseline', () => {
    const judgement = judgeSamples({ direction: 'lower-is-better', max: 500, unit: 'ms' }, [], [612]);
    expect(judgement).toMatchObject({ verdict: 'fail', current: 612, baseline: null, change: null, pValue: null });
    expect(judgement.reason).toBe('median 612 ms is above the maximum 500 ms over 1 current sample');
  });

  it('fails a median below min', () => {
    const judgement = judgeSamples({ direction: 'higher-is-better', min: 100 }, [], [80, 90, 120]);
    expect(judgement.verdict).toBe('fail');
    expect(judgement.reason).toBe('median 90 is below the minimum 100 over 3 current samples');
  });

  it('passes a median within the bounds', () => {
    const judgement = judgeSamples({ direction: 'higher-is-better', min: 100, max: 200 }, [], [150]);
    expect(judgement.verdict).toBe('pass');
    expect(judgement.reason).toBe('median 150 is within the minimum 100 and maximum 200 over 1 current sample');
  });

  it('fails on a bound even while the relative rule lacks samples', () => {
    const judgement = judgeSamples({ ...latency, max: 500 }, [8, 9], [600, 700]);
    expect(judgement.verdict).toBe('fail');
    expect(judgement.pValue).toBeNull();
    expect(judgement.reason).toMatch(/^median 650 ms is above the maximum 500 ms over 2 current samples; median 650 ms vs baseline 8.5 ms over/);
  });

  it('has nothing to bound in an empty window', () => {
    expect(judgeSamples({ direction: 'lower-is-better', max: 500 }, [1], [])).toMatchObject({ verdict: 'insufficient', reason: 'no current samples' });
  });
});

describe('judgeSamples with too few samples', () => {
  it('is insufficient below minSamples on either side, whatever the medians say', () => {
    const many = logNormalSamples(1, 40, steady);
    const few = logNormalSamples(2, 29, steady, 3);
    for (const [baseline, current] of [
      [many, few],
      [few, many],
    ]) {
      const judgement = judgeSamples(latency, baseline, current);
      expect(judgement).toMatchObject({ verdict: 'insufficient', pValue: null });
      expect(judgement.reason).toMatch(/too few to compare \(30 needed on each side\)$/);
    }
  });

  it('judges once both sides reach a lower minSamples', () => {
    const judgement = judgeSamples(latency, logNormalSamples(1, 10, steady), logNormalSamples(2, 10, steady, 2), { minSamples: 10 });
    expect(judgement.verdict).toBe('fail');
  });

  it('is insufficient without a baseline', () => {
    const judgement = judgeSamples(latency, [], logNormalSamples(2, 40, steady));
    expect(judgement).toMatchObject({ verdict: 'insufficient', baseline: null, change: null });
    expect(judgement.reason).toBe('0 baseline and 40 current samples: too few to compare (30 needed on each side)');
  });
});

describe('judgeSamples against a zero baseline median', () => {
  const queueDepth: MetricRule = { direction: 'lower-is-better', degradation: 0.2 };

  it('fails a worse window when the test confirms it, with no relative change to report', () => {
    const judgement = judgeSamples(queueDepth, Array(40).fill(0), Array(40).fill(1));
    expect(judgement).toMatchObject({ verdict: 'fail', baseline: 0, current: 1, change: null });
    expect(judgement.reason).toMatch(/^median 1 vs baseline 0: worse than a zero baseline \(threshold 20 %\), p < 0\.0001/);
  });

  it('passes when both medians are zero', () => {
    const current = [...Array(30).fill(0), ...Array(10).fill(3)];
    expect(judgeSamples(queueDepth, Array(40).fill(0), current)).toMatchObject({ verdict: 'pass', change: 0 });
  });
});

describe('judgeSamples refuses input it cannot judge honestly', () => {
  it.each([
    ['a NaN sample', latency, [1, NaN], [1]],
    ['a negative threshold', { ...latency, degradation: -0.1 }, [1], [1]],
    ['min above max', { direction: 'lower-is-better', min: 5, max: 1 }, [1], [1]],
    ['a rule that checks nothing', { direction: 'lower-is-better' }, [1], [1]],
  ] as [string, MetricRule, number[], number[]][])('%s', (_, rule, baseline, current) => {
    expect.assertions(1);
    try {
      judgeSamples(rule, baseline, current);
    } catch (error) {
      expect(isInvalidAnalysisInputError(error)).toBe(true);
    }
  });

  it('an alpha outside (0, 1)', () => {
    expect(() => judgeSamples(latency, [1], [1], { alpha: 1 })).toThrow('options.alpha must lie strictly between 0 and 1, got 1');
  });
});
