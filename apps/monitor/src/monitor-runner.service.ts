import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  AnalysisFailed,
  AnalysisStepFailed,
  AnalysisStepPassed,
  AnalysisWindowJudged,
  BackfillResumed,
  BackfillThrottled,
  durationToMs,
  MAX_BASELINE_VALUES,
  MonitorBaselineRecorded,
  RegressionDetected,
  type AnalysisPhase,
  type MessageData,
  type MonitorMetric,
} from '@bascule/contracts';
import { appendEvents, listStreams, migrationStreamId, readStream, wakeRelay } from '@bascule/event-store';
import { withSpanUnder } from '@bascule/telemetry';
import { busTopology } from '@bascule/messaging';
import { deterministicId, foldMigration, type MigrationState } from '@bascule/orchestration';
import { loadMigration } from '@bascule/plan-binding';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { liveVersions, type LiveVersions } from './analysis/live-versions';
import { MigrationWatch, type JudgedMetric, type VersionComparison, type WatchedMetric, type WindowOutcome } from './analysis/migration-watch';
import type { MetricBaseline } from './analysis/window-judge';
import { PostgresHealthSource } from './sources/postgres-health-source';
import { ProbeSource } from './sources/probe-source';
import { PrometheusSource } from './sources/prometheus-source';
import { MonitorState, type WatchPosition } from './state/monitor-state.service';
import { ProbePools } from './target-pools';
import { AnalysisMetrics } from './analysis/analysis-metrics';
import { ruleOf } from './analysis/metric-rule';

/** Health figures and Prometheus are read once a second; probes at their own `every`. */
const READ_EVERY_MS = 1_000;
/** A window that passes like the one before is recorded once a minute-ish: the log keeps decisions, not a time series. */
const RECORD_EVERY_WINDOWS = 12;

interface RunningWatch {
  metrics: WatchedMetric[];
  baselines: Map<string, MetricBaseline>;
  stopped: boolean;
  loop: Promise<void>;
}

/**
 * The monitor's edge: takes a migration's baseline (spec `monitor`), then judges its metrics every
 * interval until the migration is rolled back, or completed and its watch is over, recording every
 * decision in the migration's stream with its numbers. A failed analysis (`failureLimit` failed
 * windows in a row) is one `AnalysisFailed`; the orchestration acts on it (automatic rollback, or a
 * pause). After `completed`, a failure is a `RegressionDetected` instead. A restarted monitor picks
 * up every watch from the baseline stored in the stream.
 */
@Injectable()
export class MonitorRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MonitorRunner.name);
  private readonly watches = new Map<string, RunningWatch>();
  private readonly runId = String(Date.now());
  /** Numbers the watches of this process: the ids of a watch's events must not repeat another's. */
  private watchCount = 0;
  /** Migrations whose watch is being taken up (reading its state) and not in `watches` yet. */
  private readonly resuming = new Set<string>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly probes: ProbePools,
    private readonly state: MonitorState,
    private readonly metrics: AnalysisMetrics,
  ) {}

  /** `monitor.baseline`: samples for the spec's baseline duration, records it, and starts watching. */
  async baseline(state: MigrationState, metadata: Record<string, unknown>): Promise<void> {
    if (this.watches.has(state.id) || state.monitor.baseline || !state.spec.monitor) {
      if (state.monitor.baseline) await this.resume(state);
      return;
    }
    const monitor = state.spec.monitor;
    const metrics = this.metricsOf(state);
    await this.state.baselining(state.id, state.target);
    const began = Date.now();
    const baselines = await MigrationWatch.takeBaseline(metrics, durationToMs(monitor.baseline) ?? 30_000);
    const data: MessageData<typeof MonitorBaselineRecorded> = {
      migrationId: state.id,
      metrics: metrics.map((metric) => summaryOf(metric, baselines.get(metric.name)!)),
      durationMs: Date.now() - began,
    };
    await this.record(state.id, deterministicId(state.id, MonitorBaselineRecorded.name), MonitorBaselineRecorded.name, data, metadata);
    await this.state.baselineTaken(state.id, metrics.map((metric) => ({ name: metric.name, source: metric.source, baseline: baselines.get(metric.name)! })));
    this.logger.log(`baseline of ${state.id}: ${data.metrics.map((metric) => `${metric.name} median ${metric.median ?? '-'} over ${metric.samples}`).join(', ')}`);
    this.startWatch(state.id, metrics, baselines, { windows: 0, consecutiveFailures: 0 });
  }

  /**
   * `monitor.analyze`: judges the step's metrics (default all) every interval for the step's
   * duration, on the migration's running watch; `failureLimit` failed windows in a row fail the step.
   * False when the monitor began stopping first: nothing is recorded, the caller hands the command back.
   */
  async analyze(state: MigrationState, stepId: string, metadata: Record<string, unknown>): Promise<boolean> {
    const monitor = state.spec.monitor;
    const step = state.spec.phases.flatMap((phase) => phase.steps).find((candidate) => candidate.id === stepId);
    if (!monitor || !step?.analysis) return true;
    await this.resume(state);
    const watch = this.watches.get(state.id);
    const names = new Set(step.analysis.metrics ?? monitor.metrics.map((metric) => metric.name));
    const intervalMs = durationToMs(monitor.interval) ?? 5_000;
    const began = Date.now();
    const eventId = (type: string) => deterministicId(state.id, type, stepId);
    if (!watch) {
      const reason = 'the monitor has no baseline for this migration: nothing to judge the step against';
      await this.record(state.id, eventId(AnalysisStepFailed.name), AnalysisStepFailed.name, { migrationId: state.id, stepId, metric: [...names][0] ?? '', reason }, metadata);
      return true;
    }
    let failure: JudgedMetric | null = null;
    const judge = new MigrationWatch(watch.metrics.filter((metric) => names.has(metric.name)), watch.baselines, { intervalMs, failureLimit: monitor.failureLimit }, {
      window: async () => undefined,
      failed: async (metric) => {
        failure = metric;
      },
    });
    let windows = 0;
    const until = began + (durationToMs(step.analysis.duration) ?? 0);
    while (Date.now() < until && failure === null && !watch.stopped) {
      await sleepUnless(Math.min(intervalMs, until - Date.now()), () => watch.stopped);
      await judge.judge();
      windows++;
    }
    const failed = failure as JudgedMetric | null;
    if (failed) {
      const reason = `${failed.name}: ${failed.reason}`;
      await this.record(state.id, eventId(AnalysisStepFailed.name), AnalysisStepFailed.name, { migrationId: state.id, stepId, metric: failed.name, reason }, metadata);
      return true;
    }
    if (watch.stopped) return false;
    await this.record(state.id, eventId(AnalysisStepPassed.name), AnalysisStepPassed.name, { migrationId: state.id, stepId, windows, durationMs: Date.now() - began }, metadata);
    return true;
  }

  /** `MigrationResumed`: a migration a failed analysis had paused is watched again. */
  async resumed(migrationId: string): Promise<void> {
    const state = await this.load(migrationId);
    if (state) await this.resume(state);
  }

  /** On boot: every migration with a baseline whose watch is not over is watched again. */
  async resumeUnfinished(): Promise<number> {
    const streams = await listStreams(this.pool, { prefix: 'migration-', firstEventType: 'MigrationPlanned' });
    let resumed = 0;
    for (const stream of streams) {
      const state = await this.load(stream.streamId.slice('migration-'.length));
      if (state && watchGoesOn(state) && (await this.resume(state))) resumed++;
    }
    if (resumed > 0) this.logger.log(`resumed watching ${resumed} migration(s) after a restart`);
    return resumed;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const running = [...this.watches.values()];
    this.watches.clear();
    for (const watch of running) watch.stopped = true;
    await Promise.all(running.map((watch) => watch.loop));
  }

  /**
   * Takes up a watch from what was kept: the baselines as taken from the monitor's tables (the
   * stream's thinned copy when the tables have none), and the window count and failures in a row
   * where the last watch stopped.
   */
  private async resume(state: MigrationState): Promise<boolean> {
    const recorded = state.monitor.baseline?.data;
    if (!recorded || this.watches.has(state.id) || this.resuming.has(state.id) || !watchGoesOn(state)) return false;
    this.resuming.add(state.id);
    try {
      const kept = await this.state.baselinesOf(state.id);
      const baselines = kept ?? new Map(recorded.metrics.map((metric) => [metric.name, baselineFromSummary(metric)]));
      const position = await this.state.watching(state.id, state.target);
      const metrics = this.metricsOf(state);
      for (const metric of metrics) metric.sampler.start();
      this.startWatch(state.id, metrics, baselines, position);
      return true;
    } finally {
      this.resuming.delete(state.id);
    }
  }

  private startWatch(migrationId: string, metrics: WatchedMetric[], baselines: Map<string, MetricBaseline>, position: WatchPosition): void {
    const watch: RunningWatch = { metrics, baselines, stopped: false, loop: Promise.resolve() };
    this.watches.set(migrationId, watch);
    this.metrics.watchStarted();
    const watchId = `${this.runId}.${++this.watchCount}`;
    watch.loop = this.watchLoop(migrationId, watchId, watch, baselines, position)
      .catch((error: unknown) => this.logger.error(`watch of ${migrationId} stopped: ${(error as Error).message}`))
      .finally(async () => {
      await Promise.all(metrics.map((metric) => metric.sampler.stop()));
      this.metrics.watchEnded(migrationId);
      if (this.watches.get(migrationId) === watch) this.watches.delete(migrationId);
    });
  }

  private async watchLoop(migrationId: string, watchId: string, watch: RunningWatch, baselines: Map<string, MetricBaseline>, position: WatchPosition): Promise<void> {
    // The stream is read once, then only what was appended since, each interval.
    const events = await readStream(this.pool, migrationStreamId(migrationId));
    const first = events.length > 0 ? foldMigration(events) : null;
    if (!first?.spec.monitor) return;
    const monitor = first.spec.monitor;
    const intervalMs = durationToMs(monitor.interval) ?? 5_000;
    const rules = new Map(watch.metrics.map((metric) => [metric.name, metric.rule]));
    // The throttle: a failed window holds the backfill between its batches, the next passing window
    // lets it go on; failureLimit failed windows fail the analysis, and the hold stays for the
    // rollback (which stops the backfill) or for the human who resumes the paused migration.
    let throttled = await this.throttledNow(migrationId);
    const throttle = async (outcome: WindowOutcome): Promise<void> => {
      // A window too thin to judge (a watch just started) changes nothing either way.
      if (outcome.metrics.every((metric) => metric.verdict === 'insufficient')) return;
      const holdNow = outcome.failed && phase === 'running';
      if (holdNow === throttled) return;
      throttled = holdNow;
      const failing = outcome.metrics.find((metric) => metric.verdict === 'fail');
      const id = (type: string) => deterministicId(migrationId, type, watchId, String(outcome.window));
      this.metrics.outcome(holdNow ? 'throttled' : 'resumed', phase);
      if (holdNow && failing) {
        const data = { migrationId, metric: failing.name, reason: `${failing.name}: ${failing.reason}` };
        await this.record(migrationId, id(BackfillThrottled.name), BackfillThrottled.name, data);
      } else {
        await this.record(migrationId, id(BackfillResumed.name), BackfillResumed.name, { migrationId });
      }
    };
    let lastVerdicts = '';
    let phase: AnalysisPhase = 'running';
    const judge = new MigrationWatch(watch.metrics, baselines, { intervalMs, failureLimit: monitor.failureLimit }, {
      window: async (outcome) => {
        await throttle(outcome);
        const judged = outcome.metrics.map((metric) => verdictOf(metric, rules.get(metric.name)));
        await this.state.windowJudged(migrationId, outcome, phase, judged, throttled);
        this.metrics.windowJudged(migrationId, outcome.failed, outcome.consecutiveFailures, judged);
        const verdicts = outcome.metrics.map((metric) => metric.verdict).join(',');
        const changed = verdicts !== lastVerdicts;
        lastVerdicts = verdicts;
        if (!outcome.failed && !changed && outcome.window % RECORD_EVERY_WINDOWS !== 0) return;
        const data = { migrationId, window: outcome.window, phase, metrics: judged, failed: outcome.failed, consecutiveFailures: outcome.consecutiveFailures };
        await this.record(migrationId, deterministicId(migrationId, 'window', watchId, String(outcome.window)), AnalysisWindowJudged.name, data);
      },
      failed: (metric, outcome) => this.analysisFailed(migrationId, watchId, phase, verdictOf(metric, rules.get(metric.name)), outcome),
    }, position);
    // While a schema step is expanded, each probe also runs through the old and the new version's
    // schemas, and the new is judged against the old in the same window.
    const sideBySide: { versions: LiveVersions | null; comparisons: VersionComparison[] } = { versions: null, comparisons: [] };
    const stopComparing = async () => {
      await Promise.all(sideBySide.comparisons.flatMap((comparison) => [comparison.old.stop(), comparison.new.stop()]));
      sideBySide.versions = null;
      sideBySide.comparisons = [];
    };
    // Each window is a span of the migration's trace (the loop outlives the message that started it).
    const traceparent = typeof events[0]?.metadata['traceparent'] === 'string' ? events[0].metadata['traceparent'] : undefined;
    const inTrace = <T>(name: string, run: () => Promise<T>) => withSpanUnder(traceparent, name, { 'bascule.migration.id': migrationId }, run);
    try {
      while (!watch.stopped) {
        await sleepUnless(intervalMs, () => watch.stopped);
        if (watch.stopped) return;
        const goesOn = await inTrace('monitor window', async () => {
          events.push(...(await readStream(this.pool, migrationStreamId(migrationId), { fromVersion: events.length + 1 })));
          const state = foldMigration(events);
          if (!watchGoesOn(state)) {
            await this.state.ended(migrationId, 'ended', watchEnd(state));
            return false;
          }
          phase = phaseOf(state);
          const live = phase === 'completed' ? null : liveVersions(events);
          if (live?.versionSchema !== sideBySide.versions?.versionSchema) {
            await stopComparing();
            if (live) Object.assign(sideBySide, { versions: live, comparisons: this.comparisonsOf(state, live) });
            judge.compare(sideBySide.comparisons);
          }
          await judge.judge();
          return !judge.failed;
        });
        if (!goesOn) return;
      }
    } finally {
      await stopComparing();
      // A watch that ends with its migration (done, rolled back) holds nothing; one that stops with
      // the process keeps its throttle for the next monitor to judge, a failed one for the rollback or a human.
      if (throttled && !watch.stopped && !judge.failed) {
        const resumed = () => this.record(migrationId, deterministicId(migrationId, BackfillResumed.name, watchId, 'end'), BackfillResumed.name, { migrationId });
        await inTrace('monitor watch end', resumed).catch(() => undefined);
      }
    }
  }

  private async analysisFailed(migrationId: string, watchId: string, phase: AnalysisPhase, verdict: MessageData<typeof AnalysisWindowJudged>['metrics'][number], outcome: WindowOutcome): Promise<void> {
    const metric = verdict;
    const numbers = { baseline: verdict.baseline, current: verdict.current, pValue: verdict.pValue };
    const reason = `${metric.name}: ${metric.reason} (${outcome.consecutiveFailures} failed windows in a row)`;
    this.logger.warn(`analysis of ${migrationId} failed (${phase}): ${reason}`);
    await this.state.ended(migrationId, 'failed', reason);
    this.metrics.outcome(phase === 'completed' ? 'regression' : 'analysis_failed', phase);
    if (phase === 'completed') {
      await this.record(migrationId, deterministicId(migrationId, RegressionDetected.name, watchId), RegressionDetected.name, { migrationId, metric: metric.name, reason, ...numbers });
      return;
    }
    const data: MessageData<typeof AnalysisFailed> = { migrationId, stepId: null, metric: metric.name, reason, ...numbers, threshold: verdict.threshold, samples: verdict.samples, phase };
    // One per watch: a migration resumed after a failed analysis may fail again, and that is news.
    await this.record(migrationId, deterministicId(migrationId, AnalysisFailed.name, watchId), AnalysisFailed.name, data);
  }

  /** The samplers of the spec's metrics, on the migration's target (not started). */
  private metricsOf(state: MigrationState): WatchedMetric[] {
    const monitor = state.spec.monitor!;
    const keepMs = Math.max(durationToMs(monitor.baseline) ?? 30_000, 10 * (durationToMs(monitor.interval) ?? 5_000)) + 10_000;
    return monitor.metrics.map((metric) => ({
      name: metric.name,
      source: sourceOf(metric),
      rule: ruleOf(metric),
      sampler: this.samplerOf(state.target, metric, keepMs),
    }));
  }

  /** Each probe of the spec twice more, through the old version's schema and the new one's, started. */
  private comparisonsOf(state: MigrationState, live: LiveVersions): VersionComparison[] {
    const monitor = state.spec.monitor!;
    const keepMs = 10 * (durationToMs(monitor.interval) ?? 5_000) + 10_000;
    return monitor.metrics
      .filter((metric) => metric.probe)
      .map((metric) => {
        const probe = metric.probe!;
        const everyMs = durationToMs(probe.every) ?? 1_000;
        const on = (searchPath: string[]) => new ProbeSource(metric.name, this.probes.onSearchPath(state.target, searchPath), probe.sql, everyMs, keepMs);
        const comparison = { name: `${metric.name}: new vs old`, rule: ruleOf(metric), old: on([live.schema, 'public']), new: on([live.versionSchema, live.schema, 'public']) };
        comparison.old.start();
        comparison.new.start();
        return comparison;
      });
  }

  private samplerOf(target: string, metric: MonitorMetric, keepMs: number) {
    if (metric.probe) return new ProbeSource(metric.name, this.probes.get(target), metric.probe.sql, durationToMs(metric.probe.every) ?? 1_000, keepMs);
    if (metric.prometheus) return new PrometheusSource(metric.name, metric.prometheus.url, metric.prometheus.query, READ_EVERY_MS, keepMs);
    return new PostgresHealthSource(metric.name, metric.postgres!, this.probes.get(target), READ_EVERY_MS, keepMs);
  }

  private async record(migrationId: string, eventId: string, type: string, data: unknown, metadata: Record<string, unknown> = {}): Promise<void> {
    await appendEvents(this.pool, migrationStreamId(migrationId), [{ eventId, type, data, metadata: { correlationId: migrationId, actor: 'bascule', ...metadata } }], {
      expectedVersion: 'any',
    });
    wakeRelay(this.nc, busTopology());
  }

  /** Whether the migration's latest throttle signal holds its backfill (a restarted monitor picks up where it was). */
  private async throttledNow(migrationId: string): Promise<boolean> {
    const events = await readStream(this.pool, migrationStreamId(migrationId));
    const latest = events.filter((event) => event.type === BackfillThrottled.name || event.type === BackfillResumed.name).at(-1);
    return latest?.type === BackfillThrottled.name;
  }

  private load(migrationId: string): Promise<MigrationState | null> {
    return loadMigration(this.pool, migrationId);
  }
}

/** Judging goes on while the migration runs, and after `expanded` / `completed` until its watch is over. */
export function watchGoesOn(state: MigrationState, now = Date.now()): boolean {
  if (!state.spec.monitor || !state.monitor.baseline) return false;
  if (state.status === 'completed') {
    const watchMs = durationToMs(state.spec.monitor.watch ?? state.spec.rollback.window) ?? 0;
    return (state.completedAt?.getTime() ?? now) + watchMs > now && state.monitor.regressions.length === 0;
  }
  // A failed analysis handed the migration to the rollback or to a human: nothing more to judge,
  // until the human resumes it (which clears the failure): then the watch goes on.
  if (state.failure?.code === 'analysis_failed') return false;
  return state.status === 'running' || state.status === 'paused' || state.status === 'expanded' || state.status === 'completing';
}

/** Why a watch ended, for the monitor's run row. */
function watchEnd(state: MigrationState): string {
  if (state.status === 'completed') return state.monitor.regressions.length > 0 ? 'a regression was detected after completion' : 'the watch period after completion is over';
  if (state.failure?.code === 'analysis_failed') return 'the analysis failed';
  return `the migration is ${state.status}`;
}

function phaseOf(state: MigrationState): AnalysisPhase {
  if (state.status === 'completed') return 'completed';
  return state.status === 'expanded' || state.status === 'completing' ? 'expanded' : 'running';
}

function sourceOf(metric: MonitorMetric): 'probe' | 'prometheus' | 'postgres' {
  if (metric.probe) return 'probe';
  return metric.prometheus ? 'prometheus' : 'postgres';
}

/**
 * The contract's verdict from the judge's: `change` signed as current against baseline, `threshold`
 * as the value beyond which the metric fails (the baseline moved by the degradation or by the
 * baseline's own wander when larger, or the bound).
 */
function verdictOf(metric: JudgedMetric, rule: WatchedMetric['rule'] | undefined): MessageData<typeof AnalysisWindowJudged>['metrics'][number] {
  const change = metric.baseline !== null && metric.current !== null && metric.baseline !== 0 ? (metric.current - metric.baseline) / Math.abs(metric.baseline) : null;
  const worseUp = rule?.direction !== 'higher-is-better';
  // The judge raises the degradation to the baseline's own wander when that was larger.
  const bar = rule?.degradation !== undefined ? Math.max(rule.degradation, metric.wander ?? 0) : undefined;
  const relative = bar !== undefined && metric.baseline !== null ? metric.baseline + (worseUp ? 1 : -1) * bar * Math.abs(metric.baseline) : null;
  const bound = worseUp ? rule?.max : rule?.min;
  return {
    name: metric.name,
    verdict: metric.verdict,
    baseline: metric.baseline,
    current: metric.current,
    change,
    threshold: relative ?? bound ?? null,
    pValue: metric.pValue,
    samples: metric.samples,
    reason: metric.reason,
  };
}

function summaryOf(metric: WatchedMetric, baseline: MetricBaseline): MessageData<typeof MonitorBaselineRecorded>['metrics'][number] {
  const sorted = [...baseline.values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  const step = Math.max(1, Math.ceil(baseline.values.length / MAX_BASELINE_VALUES));
  return {
    name: metric.name,
    source: metric.source,
    direction: metric.rule.direction,
    samples: baseline.attempts,
    median: at(0.5),
    p95: at(0.95),
    errorRate: baseline.attempts === 0 ? null : baseline.failures / baseline.attempts,
    // Evenly thinned when there are more: the rank test needs a sample of the distribution, not all of it.
    values: baseline.values.filter((_, index) => index % step === 0).slice(0, MAX_BASELINE_VALUES),
  };
}

function baselineFromSummary(summary: MessageData<typeof MonitorBaselineRecorded>['metrics'][number]): MetricBaseline {
  const attempts = summary.samples;
  return { values: summary.values, attempts, failures: Math.round((summary.errorRate ?? 0) * attempts) };
}

async function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stop()) await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - Date.now())));
}
