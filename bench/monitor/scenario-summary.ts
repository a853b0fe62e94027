import { percentile } from '../schema/latency-stats';
import type { Scenario } from './scenarios';
import { medianOf, type RunRecord } from './watch-run';

export interface ScenarioSummary {
  scenario: Scenario;
  runs: number;
  baselineMedianMs: number | null;
  /** Median over runs' windows wholly after the change: relative latency change, or failure-rate rise for windows failed on failures. */
  changeSeen: number | null;
  changeSeenIsFailureRate: boolean;
  pValueSeen: number | null;
  /** Windows judged after the change (the one it fell in included) and how many failed. */
  windowsAfter: number;
  windowsFailedAfter: number;
  /** Analyses failed after the change: the monitor would have rolled back. */
  rolledBack: number;
  /** Time from the change to the failed analysis, in intervals, over the runs that rolled back. */
  detectionIntervals: { median: number; max: number } | null;
  /** Before the change: windows failed (the worst run's count) and analyses failed — false alarms in every scenario. */
  worstFailedWindowsBefore: number;
  rolledBackBefore: number;
  /** 10th and 90th percentile of every window's latency change against the baseline: the spread of the probe's noise in identical runs. */
  windowChangeSpread: [number, number] | null;
  /** Every window of every run, before and after the change. */
  windowsJudged: number;
  windowsFailed: number;
}

export function summarize(scenario: Scenario, runs: readonly RunRecord[], intervalMs: number): ScenarioSummary {
  const whole = runs.flatMap((run) => run.windows.filter((window) => window.wholeAfterChange));
  const byFailures = whole.filter((window) => window.byFailures);
  const judgedOnFailures = scenario.kind === 'errors' && byFailures.length > 0;
  const seen = judgedOnFailures ? byFailures : whole;
  const after = runs.flatMap((run) => run.windows.filter((window) => window.atMs > 0));
  const changes = runs.flatMap((run) => run.windows.flatMap((window) => (!window.byFailures && window.change !== null ? [window.change] : [])));
  const detections: number[] = runs.map((run) => run.analysisFailedAtMs).filter((ms): ms is number => ms !== null && ms >= 0).map((ms) => ms / intervalMs);
  const detectionMedian = medianOf(detections);
  return {
    scenario,
    runs: runs.length,
    baselineMedianMs: medianOf(runs.map((run) => run.baselineMedianMs).filter((ms): ms is number => ms !== null)),
    changeSeen: medianOf(seen.map((window) => window.change).filter((change): change is number => change !== null)),
    changeSeenIsFailureRate: judgedOnFailures,
    pValueSeen: medianOf(seen.map((window) => window.pValue).filter((p): p is number => p !== null)),
    windowsAfter: after.length,
    windowsFailedAfter: after.filter((window) => window.failed).length,
    rolledBack: detections.length,
    detectionIntervals: detectionMedian === null ? null : { median: detectionMedian, max: Math.max(...detections) },
    worstFailedWindowsBefore: Math.max(0, ...runs.map((run) => run.windows.filter((window) => window.atMs <= 0 && window.failed).length)),
    rolledBackBefore: runs.filter((run) => run.analysisFailedAtMs !== null && run.analysisFailedAtMs < 0).length,
    windowChangeSpread: changes.length === 0 ? null : [percentile(changes, 10), percentile(changes, 90)],
    windowsJudged: runs.reduce((sum, run) => sum + run.windows.length, 0),
    windowsFailed: runs.reduce((sum, run) => sum + run.windows.filter((window) => window.failed).length, 0),
  };
}

export interface GoalVerdict {
  goal: string;
  measured: string;
  met: boolean;
}

const MAX_DETECTION_INTERVALS = 3;

/** The issue's three goals, each judged on the figures it names. */
export function judgeGoals(summaries: readonly ScenarioSummary[]): GoalVerdict[] {
  const identical = summaries.filter((summary) => summary.scenario.kind === 'identical');
  const find = (factor: number) => summaries.find((summary) => summary.scenario.factor === factor);
  const plus50 = find(1.5);
  const plus10 = find(1.1);
  const falseRollbacks = (summary: ScenarioSummary) => summary.rolledBack + summary.rolledBackBefore;
  const goals: GoalVerdict[] = identical.map((summary) => ({
    goal: `0 false rollbacks in ${summary.runs} identical runs: ${summary.scenario.probe} probe, ${summary.scenario.name}`,
    measured: `${falseRollbacks(summary)} of ${summary.runs} runs rolled back; ${summary.windowsFailed} of ${summary.windowsJudged} windows failed`,
    met: falseRollbacks(summary) === 0,
  }));
  if (plus50) {
    const detection = plus50.detectionIntervals;
    goals.push({
      goal: `+50 % latency detected and rolled back within ${MAX_DETECTION_INTERVALS} intervals`,
      measured: `${plus50.rolledBack} of ${plus50.runs} rolled back${detection ? `, slowest after ${detection.max.toFixed(1)} intervals (median ${detection.median.toFixed(1)})` : ''}`,
      met: plus50.rolledBack === plus50.runs && detection !== null && detection.max <= MAX_DETECTION_INTERVALS,
    });
  }
  if (plus10) {
    goals.push({
      goal: '+10 % latency never rolled back at a 20 % threshold',
      measured: `${falseRollbacks(plus10)} of ${plus10.runs} rolled back; ${plus10.windowsFailedAfter} of ${plus10.windowsAfter} windows after the change failed`,
      met: falseRollbacks(plus10) === 0,
    });
  }
  return goals;
}
