import { durationToMs } from '@bascule/contracts';
import type { SpecProblem } from '../problems/spec-problem';
import { readOnlyQueryProblem } from './read-only-query';
import { isRecord, type RawPhase } from './raw-spec';
import { sqlProblemAt } from './sql-text-problems';

/** The monitor's default window (MonitorSection `interval`). */
const DEFAULT_INTERVAL = '5s';

const metricsOf = (monitor: Record<string, unknown>): unknown[] => (Array.isArray(monitor.metrics) ? monitor.metrics : []);

/** Every probe is one read-only query: it runs against the target for the whole watch. */
function probeProblems(monitor: Record<string, unknown>): SpecProblem[] {
  return metricsOf(monitor).flatMap((metric, index) => {
    const probe = isRecord(metric) ? metric.probe : undefined;
    return isRecord(probe) ? sqlProblemAt(`monitor.metrics[${index}].probe.sql`, probe.sql, readOnlyQueryProblem) : [];
  });
}

/**
 * An analysis step judges metrics of the spec's `monitor` section: it needs one, the metrics it
 * names must be defined there, and it must last at least one window. Runs on the raw document so
 * these are reported beside every other problem.
 */
function analysisProblems(document: Record<string, unknown>, phases: RawPhase[]): SpecProblem[] {
  const monitor = document.monitor;
  const names = isRecord(monitor) ? new Set(metricsOf(monitor).flatMap((metric) => (isRecord(metric) && typeof metric.name === 'string' ? [metric.name] : []))) : null;
  const interval = isRecord(monitor) && typeof monitor.interval === 'string' ? monitor.interval : DEFAULT_INTERVAL;
  const problems: SpecProblem[] = [];
  for (const step of phases.flatMap((phase) => phase.steps)) {
    const analysis = step.fields.analysis;
    if (analysis === undefined) continue;
    const at = `${step.path}.analysis`;
    if (monitor === undefined) {
      problems.push({ path: at, code: 'monitor_required', message: 'an analysis step judges the metrics of the monitor section: add monitor: {metrics: [...]} to the spec' });
      continue;
    }
    if (!isRecord(analysis) || names === null) continue; // the contract check reports the shape
    if (Array.isArray(analysis.metrics)) {
      analysis.metrics.forEach((name, index) => {
        if (typeof name === 'string' && !names.has(name)) {
          const known = [...names].map((known) => `"${known}"`).join(', ') || 'none';
          problems.push({ path: `${at}.metrics[${index}]`, code: 'unknown_metric', message: `no metric "${name}" in monitor.metrics (defined: ${known})` });
        }
      });
    }
    const durationMs = typeof analysis.duration === 'string' ? durationToMs(analysis.duration) : null;
    const intervalMs = durationToMs(interval);
    if (durationMs !== null && intervalMs !== null && durationMs < intervalMs) {
      problems.push({
        path: `${at}.duration`,
        code: 'analysis_shorter_than_interval',
        message: `an analysis of ${String(analysis.duration)} ends before one window of ${interval} is judged: give at least the monitor's interval`,
      });
    }
  }
  return problems;
}

/** The monitor section's rules that need the parser or the rest of the spec. Needs the parser loaded. */
export function monitorProblems(document: unknown, phases: RawPhase[]): SpecProblem[] {
  if (!isRecord(document)) return [];
  return [...(isRecord(document.monitor) ? probeProblems(document.monitor) : []), ...analysisProblems(document, phases)];
}
