import type { MetricRule, WindowJudgement } from '@bascule/analysis';
import type { MetricSource } from '../sources/sample-buffer';
import { baselineOf, judgeWindow, windowSamples, type MetricBaseline } from './window-judge';

export interface WatchedMetric {
  name: string;
  source: 'probe' | 'prometheus' | 'postgres';
  rule: MetricRule;
  sampler: MetricSource;
}

/**
 * One probe run through both version schemas while both serve: the new version's samples are judged
 * against the old version's of the same window (same rule), not against the baseline, so a change
 * the new shape brings shows even when the whole machine got slower or faster meanwhile.
 */
export interface VersionComparison {
  /** `<metric>: new vs old`. */
  name: string;
  rule: MetricRule;
  old: MetricSource;
  new: MetricSource;
}

export interface JudgedMetric extends WindowJudgement {
  name: string;
}

export interface WindowOutcome {
  window: number;
  metrics: JudgedMetric[];
  failed: boolean;
  consecutiveFailures: number;
}

/** Where a watch's decisions go (the monitor records them as events; a test may just keep them). */
export interface WatchRecorder {
  window(outcome: WindowOutcome): Promise<void>;
  /** `failureLimit` consecutive failed windows: the analysis failed on `metric`. */
  failed(metric: JudgedMetric, outcome: WindowOutcome): Promise<void>;
}

export interface WatchSettings {
  intervalMs: number;
  failureLimit: number;
}

/**
 * Judges a migration's metrics against their baseline, one window per interval: a window fails
 * when any metric fails; `failureLimit` failed windows in a row fail the analysis (once). Windows
 * are judged on the samples since the previous window (topped up to the minimum the test needs).
 */
export class MigrationWatch {
  private windows: number;
  private consecutive: number;
  private windowStart = Date.now();
  private hasFailed = false;
  private comparisons: readonly VersionComparison[] = [];

  /** `from`: where an earlier watch of the migration stopped (a restarted monitor goes on counting). */
  constructor(
    private readonly metrics: readonly WatchedMetric[],
    private readonly baselines: ReadonlyMap<string, MetricBaseline>,
    private readonly settings: WatchSettings,
    private readonly recorder: WatchRecorder,
    from: { windows: number; consecutiveFailures: number } = { windows: 0, consecutiveFailures: 0 },
  ) {
    this.windows = from.windows;
    this.consecutive = from.consecutiveFailures;
  }

  /** Samples for `durationMs` and returns each metric's baseline (the samplers keep running). */
  static async takeBaseline(metrics: readonly WatchedMetric[], durationMs: number, sleep = defaultSleep): Promise<Map<string, MetricBaseline>> {
    const began = Date.now();
    for (const metric of metrics) metric.sampler.start();
    await sleep(durationMs);
    return new Map(metrics.map((metric) => [metric.name, baselineOf(metric.sampler.takeSince(began))]));
  }

  get failed(): boolean {
    return this.hasFailed;
  }

  /** The version comparisons judged from the next window on (none: both versions no longer serve). */
  compare(comparisons: readonly VersionComparison[]): void {
    this.comparisons = comparisons;
  }

  /** Judges the window that ends now; returns its outcome. */
  async judge(now = Date.now()): Promise<WindowOutcome> {
    this.windows++;
    const recent = (source: MetricSource) => windowSamples(source.takeSince(now - 10 * this.settings.intervalMs), this.windowStart);
    const metrics = this.metrics.map((metric): JudgedMetric => {
      const baseline = this.baselines.get(metric.name) ?? { values: [], failures: 0, attempts: 0 };
      return { name: metric.name, ...judgeWindow(metric.rule, baseline, recent(metric.sampler)) };
    });
    for (const comparison of this.comparisons) {
      metrics.push({ name: comparison.name, ...judgeWindow(comparison.rule, baselineOf(recent(comparison.old)), recent(comparison.new), 'old version') });
    }
    this.windowStart = now;
    const failed = metrics.some((metric) => metric.verdict === 'fail');
    this.consecutive = failed ? this.consecutive + 1 : 0;
    const outcome = { window: this.windows, metrics, failed, consecutiveFailures: this.consecutive };
    await this.recorder.window(outcome);
    if (!this.hasFailed && this.consecutive >= this.settings.failureLimit) {
      this.hasFailed = true;
      await this.recorder.failed(metrics.find((metric) => metric.verdict === 'fail')!, outcome);
    }
    return outcome;
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
