import { Inject, Injectable } from '@nestjs/common';
import type { AnalysisPhase, MetricVerdict } from '@bascule/contracts';
import { METRICS_REGISTRY } from '@bascule/service-kit';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The analysis on `/metrics`: counters of judged windows and of what they led to, and for every
 * migration being watched its metrics' latest numbers (baseline, current, change, threshold,
 * p-value, failed windows in a row). The per-migration gauges are removed when its watch ends, so
 * their label sets stay as few as the migrations watched at once.
 */
@Injectable()
export class AnalysisMetrics {
  private readonly windows: Counter<'result'>;
  private readonly outcomes: Counter<'outcome' | 'phase'>;
  private readonly watches: Gauge;
  private readonly figures: Record<'baseline' | 'current' | 'change' | 'threshold' | 'pValue', Gauge<'migration' | 'metric'>>;
  private readonly failing: Gauge<'migration'>;
  private readonly labelled = new Map<string, Set<string>>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.windows = new Counter({ name: 'bascule_monitor_windows_total', help: 'Analysis windows judged, by result (pass, fail, insufficient).', labelNames: ['result'], registers });
    this.outcomes = new Counter({
      name: 'bascule_monitor_outcomes_total',
      help: 'What failed windows led to: throttled (backfill held), resumed, analysis_failed (rollback or pause), regression (after completion).',
      labelNames: ['outcome', 'phase'],
      registers,
    });
    this.watches = new Gauge({ name: 'bascule_monitor_watches', help: 'Migrations the monitor is watching now.', registers });
    const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: ['migration', 'metric'] as const, registers });
    this.figures = {
      baseline: gauge('bascule_monitor_metric_baseline', "A watched metric's baseline median (ms for probes; the failure rate's baseline for rates)."),
      current: gauge('bascule_monitor_metric_current', "A watched metric's median in its latest judged window."),
      change: gauge('bascule_monitor_metric_change_ratio', '(current − baseline) / |baseline| in the latest window: 0.25 is 25 % above the baseline.'),
      threshold: gauge('bascule_monitor_metric_threshold', 'The value beyond which the metric fails (baseline moved by its degradation or wander, or its bound).'),
      pValue: gauge('bascule_monitor_metric_p_value', 'One-sided p that the latest window is worse than the baseline (Mann-Whitney).'),
    };
    this.failing = new Gauge({ name: 'bascule_monitor_consecutive_failed_windows', help: 'Failed windows in a row of a watched migration.', labelNames: ['migration'], registers });
  }

  watchStarted(): void {
    this.watches.inc();
  }

  /** One judged window of `migration`: the counter, and each metric's figures (a null figure is left out). */
  windowJudged(migration: string, failed: boolean, consecutiveFailures: number, verdicts: readonly MetricVerdict[]): void {
    const judged = verdicts.every((verdict) => verdict.verdict === 'insufficient') ? 'insufficient' : failed ? 'fail' : 'pass';
    this.windows.inc({ result: judged });
    this.failing.set({ migration }, consecutiveFailures);
    const metrics = this.labelled.get(migration) ?? new Set<string>();
    this.labelled.set(migration, metrics);
    for (const verdict of verdicts) {
      metrics.add(verdict.name);
      for (const [figure, gauge] of Object.entries(this.figures) as Array<[keyof typeof this.figures, Gauge<'migration' | 'metric'>]>) {
        const value = verdict[figure];
        if (value === null) gauge.remove({ migration, metric: verdict.name });
        else gauge.set({ migration, metric: verdict.name }, value);
      }
    }
  }

  outcome(outcome: 'throttled' | 'resumed' | 'analysis_failed' | 'regression', phase: AnalysisPhase): void {
    this.outcomes.inc({ outcome, phase });
  }

  /** The watch of `migration` ended: its gauges go, the counters stay. */
  watchEnded(migration: string): void {
    this.watches.dec();
    this.failing.remove({ migration });
    for (const metric of this.labelled.get(migration) ?? []) {
      for (const gauge of Object.values(this.figures)) gauge.remove({ migration, metric });
    }
    this.labelled.delete(migration);
  }
}
