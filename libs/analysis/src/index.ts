/**
 * @bascule/analysis — the monitor's judge: did a metric get worse during a migration?
 *
 * Design
 * - Kayenta's rule: a metric fails a window only when it is worse than the baseline by more than
 *   its threshold AND a one-sided test says the shift is real (p < alpha, default 0.01). The
 *   threshold alone would roll back good changes on a noisy machine; the test alone would roll
 *   back for a real but harmless 2 % shift.
 * - Samples (latency, throughput) compare medians and use the Mann-Whitney U test (normal
 *   approximation with tie and continuity corrections, as R's wilcox.test with exact = FALSE):
 *   rank-based, so it assumes no distribution and one slow outlier weighs as much as any sample.
 * - Error rates compare failures out of attempts with a pooled two-proportion z-test; their
 *   threshold is an absolute rise in percentage points.
 * - Absolute bounds (max, min) are limits an operator set and fail without a test.
 * - Pure and deterministic: arrays and counts in, a WindowJudgement out, with one sentence of
 *   numbers as its reason. Fetching metrics and acting on a verdict belong to apps/monitor.
 */
export * from './errors';
export {
  DEFAULT_ALPHA,
  DEFAULT_MIN_SAMPLES,
  LATENCY_FLOOR_MS,
  type Direction,
  type JudgeOptions,
  type MetricRule,
  type ProportionCounts,
  type ProportionRule,
  type WindowJudgement,
} from './judgement';
export { mannWhitneyOneSided, type MannWhitneyResult } from './statistics/mann-whitney';
export { judgeSamples } from './judge/judge-samples';
export { baselineWander } from './judge/baseline-wander';
export { judgeProportion } from './judge/judge-proportion';
