import { judgeProportion, judgeSamples, type MetricRule, type WindowJudgement } from '@bascule/analysis';
import type { Sample } from '../sources/sample-buffer';

/** The raw figures a metric's baseline keeps (also what MonitorBaselineRecorded stores). */
export interface MetricBaseline {
  values: number[];
  failures: number;
  attempts: number;
}

/** A probe fails a window when its share of failed samples rises by more than this (5 points), significantly. */
export const ERROR_RATE_RISE = 0.05;

/** A judged window needs this many samples on each side for the statistical test to speak. */
export const MIN_SAMPLES = 30;

export function baselineOf(samples: readonly Sample[]): MetricBaseline {
  const ok = samples.filter((sample) => !sample.failed);
  return { values: ok.map((sample) => sample.value), failures: samples.length - ok.length, attempts: samples.length };
}

/**
 * The metric's verdict on its latest samples: the values against the baseline's (relative rule with
 * the Mann-Whitney test, absolute bounds), and the share of failed samples against the baseline's
 * (a probe whose queries start failing fails here even when the survivors are fast). The window is
 * the last `MIN_SAMPLES` samples or the interval's, whichever is more: a probe every 250 ms gives 20
 * per 5 s interval, too few to judge alone.
 */
export function judgeWindow(rule: MetricRule, baseline: MetricBaseline, recent: readonly Sample[], reference = 'baseline'): WindowJudgement {
  const current = baselineOf(recent);
  // Against the old version in the same window (not the baseline from before): no wander guard.
  const byValue = judgeSamples(rule, baseline.values, current.values, { minSamples: MIN_SAMPLES, reference, wander: reference === 'baseline' });
  const byErrors = judgeProportion(
    { degradation: ERROR_RATE_RISE },
    { failures: baseline.failures, attempts: baseline.attempts },
    { failures: current.failures, attempts: current.attempts },
    { minSamples: MIN_SAMPLES, reference },
  );
  return byErrors.verdict === 'fail' ? { ...byErrors, reason: `failed samples: ${byErrors.reason}` } : byValue;
}

/** The samples a window judges: those since `windowStart`, topped up with earlier ones to MIN_SAMPLES. */
export function windowSamples(all: readonly Sample[], windowStart: number): Sample[] {
  const inWindow = all.filter((sample) => sample.at >= windowStart);
  if (inWindow.length >= MIN_SAMPLES) return inWindow;
  return all.slice(Math.max(0, all.length - MIN_SAMPLES));
}
