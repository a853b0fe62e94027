import type { MetricRule } from '../judgement';
import { logNormalSamples, type LogNormal } from '../test-support/latency-samples';
import { baselineWander } from './baseline-wander';
import { judgeSamples } from './judge-samples';

const latency: MetricRule = { direction: 'lower-is-better', degradation: 0.2, unit: 'ms' };
/** A sub-millisecond index probe: 0.6 ms, about 10 % from one run to the next. */
const fast: LogNormal = { median: 0.6, sigma: 0.1 };

/** Five window-sized stretches of 40 samples; the ones listed in `spells` ran `slower` times slower (the host, not the change). */
function baselineWithSpells(seed: number, spells: number[], slower: number): number[] {
  return Array.from({ length: 5 }, (_, stretch) => logNormalSamples(seed + stretch, 40, fast, spells.includes(stretch) ? slower : 1)).flat();
}

describe('baselineWander', () => {
  it('is the worst stretch against the whole baseline, in the metric direction', () => {
    const baseline = [...Array(10).fill(10), ...Array(10).fill(13), ...Array(10).fill(10)];
    expect(baselineWander('lower-is-better', baseline, 10)).toBeCloseTo(0.3, 9);
    // For throughput the slow-down is the better stretch; the worst is the lowest one.
    expect(baselineWander('higher-is-better', baseline, 10)).toBe(0);
    const dips = [...Array(10).fill(10), ...Array(10).fill(7), ...Array(10).fill(10)];
    expect(baselineWander('higher-is-better', dips, 10)).toBeCloseTo(0.3, 9);
  });

  it('has nothing to say with fewer than two stretches or a zero median', () => {
    expect(baselineWander('lower-is-better', Array(19).fill(1), 10)).toBeNull();
    expect(baselineWander('lower-is-better', Array(40).fill(0), 10)).toBeNull();
    expect(baselineWander('lower-is-better', Array(40).fill(1), 0)).toBeNull();
  });
});

describe('judgeSamples against a baseline that wandered on its own', () => {
  it('passes a window as slow as the baseline’s own spell, which a steady baseline fails', () => {
    const spell = baselineWithSpells(100, [2], 1.3);
    const steady = baselineWithSpells(100, [], 1);
    const window = logNormalSamples(200, 40, fast, 1.3);

    const beside = judgeSamples(latency, spell, window);
    expect(beside.verdict).toBe('pass');
    expect(beside.wander).toBeGreaterThan(0.2);
    expect(beside.change).toBeGreaterThan(0.2);
    expect(beside.pValue).toBeLessThan(0.01);
    expect(beside.reason).toMatch(/\(threshold 20 %, raised to \d+ %: the baseline's own windows wandered that far\)/);

    const alone = judgeSamples(latency, steady, window);
    expect(alone.verdict).toBe('fail');
    expect(alone.wander).toBeLessThan(0.2);
    expect(alone.reason).toMatch(/\(threshold 20 %\)/);
  });

  it('still fails +50 % when the baseline wandered less than that', () => {
    const spell = baselineWithSpells(300, [1], 1.25);
    const judgement = judgeSamples(latency, spell, logNormalSamples(400, 40, fast, 1.5));
    expect(judgement.wander).toBeGreaterThan(0.2);
    expect(judgement.verdict).toBe('fail');
  });

  it('keeps the threshold when the window is too short for two stretches of baseline', () => {
    const judgement = judgeSamples(latency, logNormalSamples(500, 60, fast), logNormalSamples(501, 40, fast));
    expect(judgement.wander).toBeNull();
  });
});

describe('judgeSamples with a floor under the worsening', () => {
  const withFloor: MetricRule = { ...latency, floor: 0.5 };

  it('passes a sub-millisecond probe 40 % slower (0.24 ms), which fails without the floor', () => {
    const baseline = logNormalSamples(600, 200, fast);
    const window = logNormalSamples(601, 40, fast, 1.4);
    expect(judgeSamples(latency, baseline, window).verdict).toBe('fail');
    const judgement = judgeSamples(withFloor, baseline, window);
    expect(judgement.verdict).toBe('pass');
    expect(judgement.reason).toMatch(/\(threshold 20 %, and more than 0\.5 ms\), p < 0\.0001/);
  });

  it('fails the same probe when it gets a millisecond slower, and a 20 ms query 50 % slower', () => {
    expect(judgeSamples(withFloor, logNormalSamples(700, 200, fast), logNormalSamples(701, 40, fast, 3)).verdict).toBe('fail');
    const slow: LogNormal = { median: 20, sigma: 0.1 };
    expect(judgeSamples(withFloor, logNormalSamples(702, 200, slow), logNormalSamples(703, 40, slow, 1.5)).verdict).toBe('fail');
  });

  it('refuses a negative floor', () => {
    expect(() => judgeSamples({ ...latency, floor: -1 }, [1], [1])).toThrow(/rule\.floor/);
  });
});

describe('judgeSamples comparing two sides of the same window', () => {
  it('does not raise the threshold to the reference’s wander when told both sides met the same host', () => {
    const spell = baselineWithSpells(100, [2], 1.3);
    const window = logNormalSamples(200, 40, fast, 1.3);
    expect(judgeSamples(latency, spell, window).verdict).toBe('pass');
    const sameWindow = judgeSamples(latency, spell, window, { wander: false });
    expect(sameWindow.wander).toBeNull();
    expect(sameWindow.verdict).toBe('fail');
  });
});
