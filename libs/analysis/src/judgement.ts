import { InvalidAnalysisInputError } from './errors';

export type Direction = 'lower-is-better' | 'higher-is-better';

/** How one metric is judged, e.g. request latency: lower is better, 20 % worse fails. */
export interface MetricRule {
  direction: Direction;
  /**
   * Relative threshold as a fraction of the baseline median (0.2 = 20 %): a current median worse
   * than the baseline by more than this fails, but only when the one-sided Mann-Whitney test agrees
   * (p < alpha). Needs `minSamples` on both sides.
   */
  degradation?: number;
  /**
   * The smallest worsening of the median, in the metric's own unit, that the relative rule counts
   * (0.5 with ms: a median must be more than `degradation` AND more than half a millisecond worse).
   * For fast probes, where the host's scheduling noise alone moves the median by tenths of a
   * millisecond, which is more than 20 % of a 0.6 ms query.
   */
  floor?: number;
  /** Absolute bound: a current median above it fails, with no test and no baseline needed. */
  max?: number;
  /** Absolute bound: a current median below it fails, with no test and no baseline needed. */
  min?: number;
  /** Printed after every value in `reason` ("ms"); nothing when absent. */
  unit?: string;
}

/** How an error rate is judged; rates are fractions (0.05 = 5 %). */
export interface ProportionRule {
  /** Absolute rise of the failure rate over the baseline's (0.05 = five percentage points); needs the test to agree. */
  degradation?: number;
  /** Absolute bound on the current failure rate; needs no baseline and no test. */
  max?: number;
}

/** Failures out of attempts in one window. */
export interface ProportionCounts {
  failures: number;
  attempts: number;
}

export interface JudgeOptions {
  /** Significance level of the one-sided test: a shift counts as real only when p < alpha. */
  alpha?: number;
  /** Samples (attempts, for rates) a side needs before the relative rule judges at all. */
  minSamples?: number;
  /** What the reference side is called in `reason` ("baseline", "old version"); default "baseline". */
  reference?: string;
  /**
   * Raise the threshold to the reference's own wander (default true). Off when both sides were
   * sampled in the same window (a canary, new against old): they met the same host, and a spell
   * in the reference would only hide the difference.
   */
  wander?: boolean;
}

/**
 * The smallest worsening of a latency median, in ms, that Bascule counts (a rule's `floor`): a
 * sub-millisecond query's window medians move by 0.1–0.3 ms with nothing changed on a loaded 2-core
 * host (scheduling, CPU wake-ups, the neighbours' work), more than 20 % of it (`npm run
 * bench:monitor`, "Monitor" in docs/benchmarks.md). The monitor's probes and the api-agent's canary
 * both use it.
 */
export const LATENCY_FLOOR_MS = 0.5;

/** Kayenta's defaults are looser (0.05 two-sided); a rollback costs more than a missed alarm here. */
export const DEFAULT_ALPHA = 0.01;
export const DEFAULT_MIN_SAMPLES = 30;

export interface WindowJudgement {
  verdict: 'pass' | 'fail' | 'insufficient';
  /** Median of the baseline samples (the baseline failure rate, for rates); null without samples. */
  baseline: number | null;
  /** Median of the current samples (the current failure rate, for rates); null without samples. */
  current: number | null;
  /**
   * How much worse the current window is, positive = worse: relative to the baseline median for
   * samples (+0.5 = 50 % worse; null against a zero baseline median), the absolute rise of the rate
   * for proportions (+0.05 = five points higher).
   */
  change: number | null;
  /** The rule's `degradation`, or null when the rule has none. */
  threshold: number | null;
  /**
   * How much worse than the whole baseline its worst window-sized stretch was (samples only; null
   * for rates, without a relative rule, below minSamples or with under two stretches). When above
   * `threshold`, it is the bar the window had to clear.
   */
  wander: number | null;
  /** One-sided p that the current window is worse than the baseline; null when a side is below minSamples. */
  pValue: number | null;
  /** Samples (attempts, for rates) on each side. */
  samples: { baseline: number; current: number };
  /** One sentence with the numbers behind the verdict, for the operator and the timeline. */
  reason: string;
}

export function resolveJudgeOptions(options: JudgeOptions): Required<JudgeOptions> {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  if (!(alpha > 0 && alpha < 1)) throw new InvalidAnalysisInputError('options.alpha', `must lie strictly between 0 and 1, got ${alpha}`);
  // A test over no samples says nothing; at least one sample a side keeps every median defined.
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new InvalidAnalysisInputError('options.minSamples', `must be a whole number of at least 1, got ${minSamples}`);
  }
  return { alpha, minSamples, reference: options.reference ?? 'baseline', wander: options.wander ?? true };
}

export function requireNonNegative(field: string, value: number | undefined, upTo = Infinity): void {
  if (value === undefined) return;
  if (!(Number.isFinite(value) && value >= 0 && value <= upTo)) {
    const range = upTo === Infinity ? 'a finite number of at least 0' : `a number from 0 to ${upTo}`;
    throw new InvalidAnalysisInputError(field, `must be ${range}, got ${value}`);
  }
}
