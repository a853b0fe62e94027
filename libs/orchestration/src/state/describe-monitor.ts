import type {
  AnalysisFailed,
  AnalysisStepFailed,
  AnalysisStepPassed,
  BackfillThrottled,
  MessageData,
  MonitorBaselineRecorded,
  RegressionDetected,
} from '@bascule/contracts';

/** A figure as a person reads it in a timeline: 4 significant digits, `n/a` when there is none. */
export function figure(value: number | null): string {
  return value === null ? 'n/a' : String(Number(value.toPrecision(4)));
}

/**
 * A failed analysis in one line: the metric, its numbers and the monitor's reason. The automatic
 * rollback's reason is this line, so whoever reads the rollback sees what regressed and by how much.
 */
export function analysisFailureSummary(failed: Pick<MessageData<typeof AnalysisFailed>, 'metric' | 'stepId' | 'baseline' | 'current' | 'threshold' | 'pValue' | 'reason'>): string {
  const where = failed.stepId ? ` in step "${failed.stepId}"` : '';
  const p = failed.pValue === null ? '' : `, p ${figure(failed.pValue)}`;
  return `analysis of metric "${failed.metric}" failed${where} (baseline ${figure(failed.baseline)}, current ${figure(failed.current)}, threshold ${figure(failed.threshold)}${p}): ${failed.reason}`;
}

interface DescribedFacts {
  MonitorBaselineRecorded: MessageData<typeof MonitorBaselineRecorded>;
  AnalysisWindowJudged: unknown;
  AnalysisFailed: MessageData<typeof AnalysisFailed>;
  AnalysisStepPassed: MessageData<typeof AnalysisStepPassed>;
  AnalysisStepFailed: MessageData<typeof AnalysisStepFailed>;
  RegressionDetected: MessageData<typeof RegressionDetected>;
  BackfillThrottled: MessageData<typeof BackfillThrottled>;
  BackfillResumed: unknown;
}
type Describe<T extends keyof DescribedFacts> = (data: DescribedFacts[T]) => string | null;

const lines: { [T in keyof DescribedFacts]: Describe<T> } = {
  MonitorBaselineRecorded: (data) =>
    `monitor baseline recorded in ${data.durationMs} ms: ${data.metrics.map((metric) => `${metric.name} median ${figure(metric.median)} (${metric.samples} samples)`).join(', ') || 'no metric'}`,
  // One every interval for the whole watch: too frequent for the timeline (state.monitor.lastWindow has the latest).
  AnalysisWindowJudged: () => null,
  AnalysisFailed: (data) => analysisFailureSummary(data),
  AnalysisStepPassed: (data) => `analysis step "${data.stepId}" passed: ${data.windows} window(s) in ${data.durationMs} ms`,
  AnalysisStepFailed: (data) => `analysis step "${data.stepId}" failed on metric "${data.metric}": ${data.reason}`,
  RegressionDetected: (data) =>
    `regression after completion: metric "${data.metric}" (baseline ${figure(data.baseline)}, current ${figure(data.current)}${data.pValue === null ? '' : `, p ${figure(data.pValue)}`}): ${data.reason}`,
  BackfillThrottled: (data) => `backfill throttled by metric "${data.metric}": ${data.reason}`,
  BackfillResumed: () => 'backfill resumed',
};

/** The timeline line of one of the monitor's events (null: too frequent to list), or undefined for any other event. */
export function describeMonitorEvent(type: string, data: unknown): string | null | undefined {
  if (!Object.hasOwn(lines, type)) return undefined;
  return (lines[type as keyof DescribedFacts] as Describe<keyof DescribedFacts>)(data as DescribedFacts[keyof DescribedFacts]);
}
