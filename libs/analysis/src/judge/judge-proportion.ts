import { InvalidAnalysisInputError } from '../errors';
import { requireNonNegative, resolveJudgeOptions, type JudgeOptions, type ProportionCounts, type ProportionRule, type WindowJudgement } from '../judgement';
import { rateRiseOneSided } from '../statistics/two-proportion-z-test';
import { checkBounds, type BoundCheck } from './absolute-bounds';
import { countOf, formatPercent, formatPoints } from './describe-numbers';
import { decideWindow, relativeFinding, type RelativeFinding } from './window-verdict';

/**
 * Judges one window of an error rate (failures out of attempts) against the baseline's.
 *
 * - `degradation` is an ABSOLUTE rise of the rate, not a relative one (0.05 = five percentage
 *   points): a relative rule would call 0.1 % → 0.2 % a 100 % regression. It fails when the
 *   current rate is higher than the baseline rate by more than that AND a one-sided pooled
 *   two-proportion z-test gives p < alpha. Both sides need `minSamples` attempts.
 * - `max` bounds the current rate alone (no baseline, no test) but, unlike a median's bound,
 *   also needs `minSamples` attempts: a rate over a handful of attempts is itself the noise
 *   (one failure out of one attempt is 100 %).
 * - `baseline` and `current` in the judgement are the two rates, `change` their difference
 *   (positive = higher current rate), `samples` the attempts.
 *
 * Throws InvalidAnalysisInputError for counts that are not whole numbers with
 * 0 ≤ failures ≤ attempts, a threshold or bound outside 0…1, a rule that checks nothing, or
 * options out of range.
 */
export function judgeProportion(
  rule: ProportionRule,
  baseline: ProportionCounts,
  current: ProportionCounts,
  options: JudgeOptions = {},
): WindowJudgement {
  const { alpha, minSamples, reference } = resolveJudgeOptions(options);
  requireNonNegative('rule.degradation', rule.degradation, 1);
  requireNonNegative('rule.max', rule.max, 1);
  if (rule.degradation === undefined && rule.max === undefined) {
    throw new InvalidAnalysisInputError('rule', 'has no degradation or max: it would pass every window');
  }
  checkCounts('baseline', baseline);
  checkCounts('current', current);

  const baselineRate = baseline.attempts > 0 ? baseline.failures / baseline.attempts : null;
  const currentRate = current.attempts > 0 ? current.failures / current.attempts : null;
  const change = baselineRate === null || currentRate === null ? null : currentRate - baselineRate;
  const tested = baseline.attempts >= minSamples && current.attempts >= minSamples;
  const pValue = tested ? rateRiseOneSided(baseline, current).pValue : null;
  const counts = `${baseline.attempts} ${reference} and ${countOf(current.attempts, 'current attempt')}`;

  let bound: BoundCheck | null = null;
  if (rule.max !== undefined && currentRate !== null && current.attempts >= minSamples) {
    const check = checkBounds('failure rate', currentRate, rule, formatPercent);
    bound = { ...check, clause: `${check.clause} over ${countOf(current.attempts, 'current attempt')}` };
  }

  let relative: RelativeFinding | null = null;
  if (rule.degradation !== undefined) {
    relative = relativeFinding(
      {
        values: baselineRate === null || currentRate === null ? null : `failure rate ${formatPercent(currentRate)} vs ${reference} ${formatPercent(baselineRate)}`,
        change: change === null || change === 0 ? 'unchanged' : `${formatPoints(change)} ${change > 0 ? 'higher' : 'lower'}`,
        threshold: formatPoints(rule.degradation),
        counts,
      },
      change !== null && change > rule.degradation,
      pValue,
      alpha,
      minSamples,
    );
  }

  return {
    ...decideWindow(bound, relative, `${counts}: too few to bound the rate (${minSamples} needed)`),
    baseline: baselineRate,
    current: currentRate,
    change,
    threshold: rule.degradation ?? null,
    wander: null,
    pValue,
    samples: { baseline: baseline.attempts, current: current.attempts },
  };
}

function checkCounts(side: 'baseline' | 'current', counts: ProportionCounts): void {
  const { failures, attempts } = counts;
  if (!Number.isInteger(attempts) || attempts < 0) {
    throw new InvalidAnalysisInputError(`${side}.attempts`, `must be a whole number of at least 0, got ${attempts}`);
  }
  if (!Number.isInteger(failures) || failures < 0 || failures > attempts) {
    throw new InvalidAnalysisInputError(`${side}.failures`, `must be a whole number from 0 to attempts (${attempts}), got ${failures}`);
  }
}
