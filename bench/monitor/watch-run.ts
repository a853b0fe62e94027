import { setTimeout as sleep } from 'node:timers/promises';
import { durationToMs, MonitorSection } from '@bascule/contracts';
import type { MetricRule } from '@bascule/analysis';
import type { Pool } from 'pg';
import { MigrationWatch, type JudgedMetric, type WatchedMetric } from '../../apps/monitor/src/analysis/migration-watch';
import { ruleOf } from '../../apps/monitor/src/analysis/metric-rule';
import { ProbeSource } from '../../apps/monitor/src/sources/probe-source';

/** The spec's `monitor` section every run is watched with; parsed by the contracts' schema like a real spec. */
export const MONITOR_SPEC = { baseline: '5s', interval: '1s', failureLimit: 2, every: '25ms', degradation: '20%' } as const;

export interface RunSettings {
  baselineMs: number;
  intervalMs: number;
  failureLimit: number;
  everyMs: number;
  keepMs: number;
  rule: MetricRule;
}

/** The monitor's settings for one probe, as MonitorRunner derives them from the parsed spec. */
export function runSettings(sql: string): RunSettings {
  const monitor = MonitorSection.parse({
    baseline: MONITOR_SPEC.baseline,
    interval: MONITOR_SPEC.interval,
    failureLimit: MONITOR_SPEC.failureLimit,
    metrics: [{ name: 'probe-latency', probe: { sql, every: MONITOR_SPEC.every }, degradation: MONITOR_SPEC.degradation }],
  });
  const [metric] = monitor.metrics;
  const baselineMs = msOf(monitor.baseline);
  const intervalMs = msOf(monitor.interval);
  return {
    baselineMs,
    intervalMs,
    failureLimit: monitor.failureLimit,
    everyMs: msOf(metric.probe?.every ?? ''),
    keepMs: Math.max(baselineMs, 10 * intervalMs) + 10_000,
    rule: ruleOf(metric),
  };
}

function msOf(duration: string): number {
  const ms = durationToMs(duration);
  if (ms === null) throw new Error(`the bench's monitor settings hold "${duration}", which is not a duration`);
  return ms;
}

export interface JudgedWindow {
  /** When the window was judged, ms after the change (negative: before it). */
  atMs: number;
  /** Ends after the change and began after it too: holds only samples of the changed target. */
  wholeAfterChange: boolean;
  failed: boolean;
  /** The window was failed by its share of failed probes (else by latency, or it passed). */
  byFailures: boolean;
  change: number | null;
  pValue: number | null;
}

export interface RunRecord {
  baselineMedianMs: number | null;
  windows: JudgedWindow[];
  /** The analysis failed (the monitor would roll back): ms after the change, negative before it; null if never. */
  analysisFailedAtMs: number | null;
}

export interface RunPlan {
  pool: Pool;
  sql: string;
  /** Windows judged before the one the change falls in. */
  windowsBefore: number;
  /** Windows judged from the one the change falls in. */
  windowsFrom: number;
  /** Where in its interval the change lands (0…1). */
  changeOffset: number;
  change(): Promise<void>;
}

/**
 * One watched migration: the monitor's own ProbeSource and MigrationWatch, a baseline, then one
 * judged window per interval; the change lands `windowsBefore + changeOffset` intervals after the
 * baseline. Windows are judged on the interval's clock (as MonitorRunner's loop does), the change
 * time is when its statement has committed.
 */
export async function watchOneRun(plan: RunPlan, settings = runSettings(plan.sql)): Promise<RunRecord> {
  const sampler = new ProbeSource('probe-latency', plan.pool, plan.sql, settings.everyMs, settings.keepMs);
  const metric: WatchedMetric = { name: 'probe-latency', source: 'probe', rule: settings.rule, sampler };
  try {
    const baselines = await MigrationWatch.takeBaseline([metric], settings.baselineMs);
    const analysis = { failedAt: null as number | null };
    const watch = new MigrationWatch([metric], baselines, settings, {
      window: async () => undefined,
      failed: async () => {
        analysis.failedAt = Date.now();
      },
    });
    const start = Date.now();
    const changeDue = start + (plan.windowsBefore + plan.changeOffset) * settings.intervalMs;
    let changedAt: number | null = null;
    const judged: Array<{ at: number; windowStart: number; failed: boolean; judgement: JudgedMetric }> = [];
    for (let window = 1; window <= plan.windowsBefore + plan.windowsFrom; window++) {
      const due = start + window * settings.intervalMs;
      if (changedAt === null && changeDue < due) {
        await sleep(Math.max(0, changeDue - Date.now()));
        await plan.change();
        changedAt = Date.now();
      }
      await sleep(Math.max(0, due - Date.now()));
      const windowStart = judged.at(-1)?.at ?? start;
      const outcome = await watch.judge();
      judged.push({ at: Date.now(), windowStart, failed: outcome.failed, judgement: outcome.metrics[0] });
    }
    const changed = changedAt ?? start;
    return {
      baselineMedianMs: medianOf(baselines.get(metric.name)?.values ?? []),
      windows: judged.map((entry) => ({
        atMs: entry.at - changed,
        wholeAfterChange: entry.windowStart >= changed,
        failed: entry.failed,
        byFailures: entry.judgement.reason.startsWith('failed samples:'),
        change: entry.judgement.change,
        pValue: entry.judgement.pValue,
      })),
      analysisFailedAtMs: analysis.failedAt === null ? null : analysis.failedAt - changed,
    };
  } finally {
    await sampler.stop();
  }
}

export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
