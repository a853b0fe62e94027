import type { AnalysisFailed, AnalysisWindowJudged, MessageData, MonitorBaselineRecorded, RegressionDetected } from '@bascule/contracts';
import { ANALYSIS_FAILED, failMigration, pauseMigration } from './migration-failure';
import type { MigrationState, MonitorState } from './migration-state';

/** The monitor's facts the fold reads, by type: renaming one in the contracts breaks this map. */
interface MonitorFacts {
  MonitorBaselineRecorded: MessageData<typeof MonitorBaselineRecorded>;
  AnalysisWindowJudged: MessageData<typeof AnalysisWindowJudged>;
  AnalysisFailed: MessageData<typeof AnalysisFailed>;
  RegressionDetected: MessageData<typeof RegressionDetected>;
}
type MonitorFactType = keyof MonitorFacts;
type Handler<T extends MonitorFactType> = (state: MigrationState, data: MonitorFacts[T], at: Date) => void;

export function initialMonitorState(): MonitorState {
  return { baseline: null, lastWindow: null, failures: [], regressions: [] };
}

/** Statuses in which a failed analysis still acts: the old version is still there to go back to. */
const ACTING_STATUSES: ReadonlySet<MigrationState['status']> = new Set(['running', 'paused', 'expanded']);

const handlers: { [T in MonitorFactType]: Handler<T> } = {
  MonitorBaselineRecorded: (state, data, at) => {
    // The first baseline is the one phase 0 waited for; a repeat (a redelivered command) changes nothing.
    state.monitor.baseline ??= { recordedAt: at, data };
  },
  AnalysisWindowJudged: (state, data, at) => {
    state.monitor.lastWindow = { ...data, at };
  },
  AnalysisFailed: (state, data, at) => {
    state.monitor.failures.push({ ...data, at });
    if (!ACTING_STATUSES.has(state.status)) return; // completing or later: nothing left to roll back to
    const failure = { code: ANALYSIS_FAILED, message: data.reason, stepId: data.stepId };
    // With automatic rollback the rollback-manager sees `failed` and rolls back, from expanded too.
    if (state.spec.rollback.automatic) failMigration(state, failure, at);
    else pauseMigration(state, failure, at);
  },
  RegressionDetected: (state, data, at) => {
    state.monitor.regressions.push({ ...data, at });
  },
};

const isMonitorFact = (type: string): type is MonitorFactType => Object.hasOwn(handlers, type);

/** Folds one of the monitor's facts into `state`; false when `type` is not one of them. */
export function applyMonitorFact(state: MigrationState, type: string, data: unknown, at: Date): boolean {
  if (!isMonitorFact(type)) return false;
  // The store holds what the monitor appended after validating it against the same contract.
  (handlers[type] as Handler<MonitorFactType>)(state, data as MonitorFacts[MonitorFactType], at);
  return true;
}
