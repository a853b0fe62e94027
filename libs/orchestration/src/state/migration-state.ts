import type {
  AnalysisFailed,
  AnalysisWindowJudged,
  CompensationStep,
  MessageData,
  MigrationPlan,
  MigrationSpec,
  MonitorBaselineRecorded,
  RegressionDetected,
  RollbackTrigger,
  StepKind,
} from '@bascule/contracts';

/** ARCHITECTURE.md "Planner REST API" statuses (contract). */
export const MIGRATION_STATUSES = ['planned', 'running', 'paused', 'expanded', 'completing', 'completed', 'rolling_back', 'rolled_back', 'rollback_failed', 'failed'] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

export type StepStatus =
  | 'pending'
  /** Command sent, no outcome yet. */
  | 'running'
  | 'waiting_approval'
  | 'succeeded'
  | 'failed'
  /** Contract done (schema steps, after complete). */
  | 'completed'
  | 'compensating'
  | 'compensated';

export type PhaseStatus = 'pending' | 'running' | 'verifying' | 'completed' | 'failed';

export interface StepFailure {
  code: string;
  message: string;
  pgCode?: string | null;
}

export interface StepState {
  id: string;
  kind: StepKind;
  phaseIndex: number;
  dependsOn: string[];
  /** Position inside its phase: steps of one wave may run in parallel. */
  wave: number;
  status: StepStatus;
  commandId: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When the step reported success (a schema step: expanded); kept through compensation. */
  succeededAt: Date | null;
  failure: StepFailure | null;
  /** Latest backfill checkpoint of a schema step. */
  progress: { table: string; rowsDone: number; rowsTotal: number | null } | null;
  approvedBy: string | null;
  /** Set once the step's contract ran (schema) or was found to need none. */
  completedAt: Date | null;
  compensatedAt: Date | null;
}

export interface PhaseState {
  index: number;
  name: string;
  status: PhaseStatus;
  startedAt: Date | null;
  completedAt: Date | null;
  steps: StepState[];
}

export interface ComparisonState {
  label: string;
  against: string;
  passed: boolean;
  recordedAt: Date;
  data: unknown;
}

export interface RollbackState {
  trigger: RollbackTrigger;
  reason: string;
  requestedBy: string;
  receivedAt: Date;
  compensation: CompensationStep[];
  /** Step ids whose compensation finished, in the order they finished. */
  compensated: string[];
  /** MigrationRolledBack: every compensation ran. The status says `rolled_back` only once the restoration check passed. */
  finishedAt: Date | null;
  durationMs: number | null;
  failure: StepFailure & { stepId: string | null } | null;
}

/** What the monitor reported (spec `monitor`): its baseline, the latest judged window, failed analyses, regressions. */
export interface MonitorState {
  baseline: { recordedAt: Date; data: MessageData<typeof MonitorBaselineRecorded> } | null;
  lastWindow: (MessageData<typeof AnalysisWindowJudged> & { at: Date }) | null;
  /** Every AnalysisFailed, in order: the first one that acted (failed or paused the migration) is `failure`'s. */
  failures: Array<MessageData<typeof AnalysisFailed> & { at: Date }>;
  /** Regressions found after `completed`, within the watch: they change no status. */
  regressions: Array<MessageData<typeof RegressionDetected> & { at: Date }>;
}

/** One line of the migration's history (who did what, when): the report's timeline. */
export interface HistoryEntry {
  at: Date;
  type: string;
  version: number;
  summary: string;
}

export interface MigrationState {
  id: string;
  name: string;
  target: string;
  spec: MigrationSpec;
  plan: MigrationPlan;
  requestedBy: string;
  status: MigrationStatus;
  /** Stream version of the last folded event: the expected version of the next append. */
  version: number;
  plannedAt: Date;
  startedAt: Date | null;
  startedBy: string | null;
  paused: boolean;
  /** Index of the phase running now (or the last one that ran); null before start. */
  currentPhase: number | null;
  phases: PhaseState[];
  baselines: Map<string, { recordedAt: Date; data: unknown }>;
  comparisons: Map<string, ComparisonState>;
  expandedAt: Date | null;
  completeAfter: Date | null;
  completeRequested: { by: string; reason: 'window_elapsed' | 'requested'; at: Date } | null;
  completedAt: Date | null;
  failure: (StepFailure & { stepId: string | null; at: Date }) | null;
  rollback: RollbackState | null;
  rehearsal: { passed: boolean; at: Date; data: unknown } | null;
  monitor: MonitorState;
  history: HistoryEntry[];
}

export function allSteps(state: Pick<MigrationState, 'phases'>): StepState[] {
  return state.phases.flatMap((phase) => phase.steps);
}

export function findStep(state: Pick<MigrationState, 'phases'>, stepId: string): StepState | undefined {
  return allSteps(state).find((step) => step.id === stepId);
}

/** Statuses after which nothing more happens to the migration. */
export function isFinished(status: MigrationStatus): boolean {
  return status === 'completed' || status === 'rolled_back';
}
