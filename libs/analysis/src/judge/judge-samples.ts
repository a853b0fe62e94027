import { median } from 'simple-statistics';
import { InvalidAnalysisInputError } from '../errors';
import { requireNonNegative, resolveJudgeOptions, type Direction, type JudgeOptions, type MetricRule, type WindowJudgement } from '../judgement';
import { mannWhitneyOneSided } from '../statistics/mann-whitney';
import { checkBounds, hasBounds, type BoundCheck } from './absolute-bounds';
import { baselineWander } from './baseline-wander';
import { countOf, formatPercent, formatValue } from './describe-numbers';
import { decideWindow, relativeFinding, type RelativeFinding } from './window-verdict';

/**
 * Judges one window of a metric's samples (latencies, throughputs) against the baseline's.
 *
 * - Relative rule (`degradation`): fails when the current median is worse than the baseline
 *   median by more than `degradation` of it AND the one-sided Mann-Whitney test (current worse:
 *   greater for lower-is-better, less for higher-is-better) gives p < alpha. Both sides need
 *   `minSamples`; below that the window is `insufficient`, whatever the medians say. When the
 *   baseline's own window-sized stretches (in sampling order) wandered further than `degradation`
 *   with nothing changed, the threshold is raised to that wander (`baselineWander`): a window must
 *   be worse than the worst the baseline did on its own. With `floor`, the median must also be
 *   worse by more than that many units.
 * - Absolute bounds (`max`, `min`): the current median above max / below min fails on its own,
 *   over any non-empty window and without a baseline: a bound is a limit the operator set, not a
 *   comparison that noise could fake. An empty current window is `insufficient`.
 * - `change` is relative to |baseline median|, positive = worse. Against a baseline median of 0
 *   a relative change does not exist: `change` is null (0 when the current median is 0 too) and
 *   any worse current median counts as beyond the threshold, so the test alone decides.
 * - `pValue` is reported whenever both sides have minSamples, even for a rule with bounds only.
 *
 * Throws InvalidAnalysisInputError for a non-finite sample, a negative or non-finite threshold
 * or bound, min above max, a rule that checks nothing, or options out of range.
 */
export function judgeSamples(
  rule: MetricRule,
  baseline: readonly number[],
  current: readonly number[],
  options: JudgeOptions = {},
): WindowJudgement {
  const { alpha, minSamples, reference, wander: measureWander } = resolveJudgeOptions(options);
  checkRule(rule);
  checkSamples('baseline', baseline);
  checkSamples('current', current);

  const show = (value: number) => formatValue(value, rule.unit);
  const baselineMedian = baseline.length > 0 ? median(baseline) : null;
  const currentMedian = current.length > 0 ? median(current) : null;
  const change = baselineMedian === null || currentMedian === null ? null : relativeChange(rule.direction, baselineMedian, currentMedian);
  const tested = baseline.length >= minSamples && current.length >= minSamples;
  const alternative = rule.direction === 'lower-is-better' ? 'greater' : 'less';
  const pValue = tested ? mannWhitneyOneSided(baseline, current, alternative).pValue : null;

  let bound: BoundCheck | null = null;
  if (currentMedian !== null && hasBounds(rule)) {
    const check = checkBounds('median', currentMedian, rule, show);
    bound = { ...check, clause: `${check.clause} over ${countOf(current.length, 'current sample')}` };
  }

  let relative: RelativeFinding | null = null;
  let wander: number | null = null;
  if (rule.degradation !== undefined) {
    wander = tested && measureWander ? baselineWander(rule.direction, baseline, current.length) : null;
    const bar = Math.max(rule.degradation, wander ?? 0);
    const values = baselineMedian === null || currentMedian === null ? null : `median ${show(currentMedian)} vs ${reference} ${show(baselineMedian)}`;
    const worse = baselineMedian !== null && currentMedian !== null && isWorse(rule.direction, baselineMedian, currentMedian);
    const worsening = baselineMedian === null || currentMedian === null ? 0 : Math.abs(currentMedian - baselineMedian);
    const exceeds = (change === null ? worse : change > bar) && (rule.floor === undefined || (worse && worsening > rule.floor));
    relative = relativeFinding(
      {
        values,
        change: describeChange(change, worse),
        threshold: thresholdText(rule.degradation, bar, rule.floor === undefined ? null : show(rule.floor), reference),
        counts: `${baseline.length} ${reference} and ${countOf(current.length, 'current sample')}`,
      },
      exceeds,
      pValue,
      alpha,
      minSamples,
    );
  }

  return {
    ...decideWindow(bound, relative, 'no current samples'),
    baseline: baselineMedian,
    current: currentMedian,
    change,
    threshold: rule.degradation ?? null,
    wander,
    pValue,
    samples: { baseline: baseline.length, current: current.length },
  };
}

function thresholdText(degradation: number, bar: number, floor: string | null, reference: string): string {
  const relative = bar > degradation ? `${formatPercent(degradation)}, raised to ${formatPercent(bar)}: the ${reference}'s own windows wandered that far` : formatPercent(degradation);
  return floor === null ? relative : `${relative}, and more than ${floor}`;
}

function relativeChange(direction: Direction, baseline: number, current: number): number | null {
  if (baseline === 0) return current === 0 ? 0 : null;
  const rise = (current - baseline) / Math.abs(baseline);
  return direction === 'lower-is-better' ? rise : -rise;
}

function isWorse(direction: Direction, baseline: number, current: number): boolean {
  return direction === 'lower-is-better' ? current > baseline : current < baseline;
}

function describeChange(change: number | null, worse: boolean): string {
  if (change === null) return worse ? 'worse than a zero baseline' : 'better than a zero baseline';
  if (change === 0) return 'unchanged';
  return `${formatPercent(change)} ${change > 0 ? 'worse' : 'better'}`;
}

function checkRule(rule: MetricRule): void {
  if (rule.direction !== 'lower-is-better' && rule.direction !== 'higher-is-better') {
    throw new InvalidAnalysisInputError('rule.direction', `must be "lower-is-better" or "higher-is-better", got ${JSON.stringify(rule.direction)}`);
  }
  requireNonNegative('rule.degradation', rule.degradation);
  requireNonNegative('rule.floor', rule.floor);
  for (const field of ['max', 'min'] as const) {
    const value = rule[field];
    if (value !== undefined && !Number.isFinite(value)) throw new InvalidAnalysisInputError(`rule.${field}`, `must be a finite number, got ${value}`);
  }
  if (rule.max !== undefined && rule.min !== undefined && rule.min > rule.max) {
    throw new InvalidAnalysisInputError('rule.min', `(${rule.min}) is above rule.max (${rule.max}): no value could pass`);
  }
  if (rule.degradation === undefined && !hasBounds(rule)) {
    throw new InvalidAnalysisInputError('rule', 'has no degradation, max or min: it would pass every window');
  }
}

function checkSamples(side: 'baseline' | 'current', samples: readonly number[]): void {
  const index = samples.findIndex((sample) => !Number.isFinite(sample));
  if (index >= 0) {
    throw new InvalidAnalysisInputError(`${side}[${index}]`, `is ${samples[index]}; drop gaps (NaN from an empty scrape) before judging`);
  }
}
