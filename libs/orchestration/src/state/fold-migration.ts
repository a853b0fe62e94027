import {
  MigrationPlanned,
  type AnalysisStepFailed,
  type BackfillCheckpointRecorded,
  type BaselineTaken,
  type DataCompared,
  type MessageData,
  type MigrationCompleteRequested,
  type MigrationExpanded,
  type MigrationFailed,
  type RollbackFailed,
  type RollbackRehearsed,
  type RollbackStarted,
  type SchemaStepFailed,
  type SqlStepFailed,
  type ApiStepFailed,
  type BackupFailed,
  type StepApproved,
  type StepDispatched,
  type VerificationErrored,
  type VerifyStepFailed,
  stepKind,
} from '@bascule/contracts';
import { executionOrder } from '@bascule/migration-spec';
import { PRE_MIGRATION_BASELINE, RESTORATION_LABEL } from '../ids/deterministic-id';
import { describeMonitorEvent } from './describe-monitor';
import { applyMonitorFact, initialMonitorState } from './fold-monitor';
import { ANALYSIS_FAILED, failMigration } from './migration-failure';
import { allSteps, findStep, type MigrationState, type PhaseState, type StepState } from './migration-state';
import { UnknownMigrationStreamError } from './unknown-migration-stream.error';

/** What the fold needs of a stored event (`@bascule/event-store` StoredEvent has all of it). */
export interface FoldableEvent {
  type: string;
  data: unknown;
  streamVersion: number;
  recordedAt: Date;
}

/**
 * The migration as its events say it is. Pure: the same events give the same state, which is
 * what lets the planner and the rollback-manager restart anywhere and continue (replay).
 * Events of types it does not know are skipped, so new event types do not break old readers.
 */
export function foldMigration(events: readonly FoldableEvent[]): MigrationState {
  const first = events[0];
  if (!first || first.type !== MigrationPlanned.name) throw new UnknownMigrationStreamError(first?.type ?? null);
  const state = initialState(first);
  for (const event of events.slice(1)) applyEvent(state, event);
  return state;
}

/**
 * `state` (the fold of versions 1…state.version) moved on by the events that follow it, in place:
 * the same result as folding the whole stream again, for the price of the new events. Events must
 * continue the stream without a gap (the caller read them from version state.version + 1).
 */
export function foldOnto(state: MigrationState, events: readonly FoldableEvent[]): MigrationState {
  for (const event of events) {
    if (event.streamVersion !== state.version + 1) {
      throw new RangeError(`foldOnto: event version ${event.streamVersion} does not follow the folded version ${state.version}`);
    }
    applyEvent(state, event);
  }
  return state;
}

function initialState(event: FoldableEvent): MigrationState {
  const planned = event.data as MessageData<typeof MigrationPlanned>;
  const waves = executionOrder(planned.spec);
  const phases: PhaseState[] = planned.spec.phases.map((phase, phaseIndex) => ({
    index: phaseIndex,
    name: phase.name,
    status: 'pending',
    startedAt: null,
    completedAt: null,
    steps: phase.steps.map((step): StepState => ({
      id: step.id,
      kind: kindOf(step),
      phaseIndex,
      dependsOn: step.dependsOn ?? [],
      wave: Math.max(0, waves[phaseIndex]?.waves.findIndex((wave) => wave.includes(step.id)) ?? 0),
      status: 'pending',
      commandId: null,
      startedAt: null,
      finishedAt: null,
      failure: null,
      progress: null,
      approvedBy: null,
      completedAt: null,
      compensatedAt: null,
      succeededAt: null,
    })),
  }));
  return {
    id: planned.migrationId,
    name: planned.name,
    target: planned.target,
    spec: planned.spec,
    plan: planned.plan,
    requestedBy: planned.requestedBy,
    status: 'planned',
    version: event.streamVersion,
    plannedAt: event.recordedAt,
    startedAt: null,
    startedBy: null,
    paused: false,
    currentPhase: null,
    phases,
    baselines: new Map(),
    comparisons: new Map(),
    expandedAt: null,
    completeAfter: null,
    completeRequested: null,
    completedAt: null,
    failure: null,
    rollback: null,
    rehearsal: null,
    monitor: initialMonitorState(),
    history: [{ at: event.recordedAt, type: event.type, version: event.streamVersion, summary: `planned by ${planned.requestedBy}` }],
  };
}

function kindOf(step: MigrationState['spec']['phases'][number]['steps'][number]): StepState['kind'] {
  return stepKind(step);
}

type Data<T> = MessageData<T>;
interface StepFact {
  stepId: string;
}

function applyEvent(state: MigrationState, event: FoldableEvent): void {
  state.version = event.streamVersion;
  const at = event.recordedAt;
  const data = event.data as Record<string, unknown>;
  const step = typeof data?.stepId === 'string' ? findStep(state, (data as unknown as StepFact).stepId) : undefined;
  const summary = describe(event, state);
  if (summary !== null) state.history.push({ at, type: event.type, version: event.streamVersion, summary });

  switch (event.type) {
    case 'MigrationStarted':
      state.status = 'running';
      state.startedAt = at;
      state.startedBy = String(data.requestedBy);
      return;
    case 'MigrationPaused':
      state.paused = true;
      if (state.status === 'running') state.status = 'paused';
      return;
    case 'MigrationResumed':
      state.paused = false;
      // A migration paused by a failed analysis after every phase ran goes back to waiting out its window.
      if (state.status === 'paused') state.status = state.expandedAt ? 'expanded' : 'running';
      // Whoever resumed decided the analysis failure is acceptable: a later failure is recorded afresh.
      if (state.failure?.code === ANALYSIS_FAILED) state.failure = null;
      return;
    case 'PhaseStarted': {
      const phase = state.phases[Number(data.phaseIndex)];
      if (!phase) return;
      phase.status = 'running';
      phase.startedAt = at;
      state.currentPhase = phase.index;
      return;
    }
    case 'StepDispatched': {
      if (!step) return;
      const dispatched = data as unknown as Data<typeof StepDispatched>;
      step.commandId = dispatched.commandId;
      step.startedAt = at;
      step.status = step.kind === 'approval' ? 'waiting_approval' : 'running';
      return;
    }
    case 'BackfillCheckpointRecorded': {
      if (!step) return;
      const checkpoint = data as unknown as Data<typeof BackfillCheckpointRecorded>;
      step.progress = { table: checkpoint.table, rowsDone: checkpoint.rowsDone, rowsTotal: checkpoint.rowsTotal };
      return;
    }
    case 'SchemaStepExpanded':
    case 'ApiStepPromoted':
    case 'SqlStepApplied':
    case 'VerifyStepPassed':
    case 'AnalysisStepPassed':
    case 'BackupTaken':
      if (step) succeed(step, at);
      return;
    case 'StepApprovalRequested':
      if (step) step.status = 'waiting_approval';
      return;
    case 'StepApproved':
      if (step) {
        step.approvedBy = (data as unknown as Data<typeof StepApproved>).approvedBy;
        // An approval step is done once approved; a step that waited for one may now be dispatched.
        if (step.kind === 'approval') succeed(step, at);
        else if (step.status === 'waiting_approval') step.status = 'pending';
      }
      return;
    case 'SchemaStepFailed': {
      const failed = data as unknown as Data<typeof SchemaStepFailed>;
      if (failed.phase === 'rollback') return rollbackStepFailed(state, failed.stepId, failed, at);
      if (step) return failStep(state, step, { code: failed.code, message: failed.message, pgCode: failed.pgCode }, at);
      return;
    }
    case 'SqlStepFailed': {
      const failed = data as unknown as Data<typeof SqlStepFailed>;
      if (failed.phase === 'revert') return rollbackStepFailed(state, failed.stepId, failed, at);
      if (step) return failStep(state, step, { code: failed.code, message: failed.message, pgCode: failed.pgCode }, at);
      return;
    }
    case 'ApiStepFailed': {
      const failed = data as unknown as Data<typeof ApiStepFailed>;
      if (failed.phase === 'rollback') return rollbackStepFailed(state, failed.stepId, { code: failed.code, message: failed.message, pgCode: null }, at);
      if (step) return failStep(state, step, { code: failed.code, message: failed.message }, at);
      return;
    }
    case 'BackupFailed': {
      const failed = data as unknown as Data<typeof BackupFailed>;
      if (step) failStep(state, step, { code: failed.code, message: failed.message }, at);
      return;
    }
    case 'VerifyStepFailed':
      if (step) failStep(state, step, { code: 'verification_failed', message: (data as unknown as Data<typeof VerifyStepFailed>).message }, at);
      return;
    case 'AnalysisStepFailed': {
      const failed = data as unknown as Data<typeof AnalysisStepFailed>;
      if (step) failStep(state, step, { code: ANALYSIS_FAILED, message: `metric "${failed.metric}": ${failed.reason}` }, at);
      return;
    }
    case 'VerificationErrored': {
      const errored = data as unknown as Data<typeof VerificationErrored>;
      const failure = { code: errored.code, message: errored.message };
      if (errored.label === RESTORATION_LABEL && state.status === 'rolling_back' && state.rollback?.finishedAt) {
        return rollbackUnverified(state, { code: errored.code, message: `the restoration check could not run: ${errored.message}` });
      }
      if (step) return failStep(state, step, failure, at);
      if (state.status === 'running' || state.status === 'paused') failMigration(state, { ...failure, stepId: null }, at);
      return;
    }
    case 'SchemaStepCompleted':
      if (step) {
        step.status = 'completed';
        step.completedAt = at;
      }
      return;
    case 'SchemaStepRolledBack':
    case 'SqlStepReverted':
    case 'ApiStepRolledBack':
      if (step) compensate(state, step, at);
      return;
    case 'BaselineTaken': {
      const taken = data as unknown as Data<typeof BaselineTaken>;
      state.baselines.set(taken.label, { recordedAt: at, data: taken });
      return;
    }
    case 'DataCompared': {
      const compared = data as unknown as Data<typeof DataCompared>;
      state.comparisons.set(compared.label, { label: compared.label, against: compared.against, passed: compared.passed, recordedAt: at, data: compared });
      if (compared.label === RESTORATION_LABEL) return restorationChecked(state, compared);
      const phase = state.phases.find((candidate) => `after-phase-${candidate.index}` === compared.label);
      if (phase && !compared.passed && phase.status !== 'completed') {
        phase.status = 'failed';
        if (state.status === 'running' || state.status === 'paused') {
          failMigration(state, { code: 'verification_failed', message: `data verification after phase "${phase.name}" failed`, stepId: null }, at);
        }
      }
      return;
    }
    case 'PhaseCompleted': {
      const phase = state.phases[Number(data.phaseIndex)];
      if (!phase) return;
      phase.status = 'completed';
      phase.completedAt = at;
      return;
    }
    case 'MigrationExpanded':
      state.status = 'expanded';
      state.expandedAt = at;
      state.completeAfter = new Date((data as unknown as Data<typeof MigrationExpanded>).completeAfter);
      return;
    case 'MigrationCompleteRequested': {
      const requested = data as unknown as Data<typeof MigrationCompleteRequested>;
      state.status = 'completing';
      state.completeRequested = { by: requested.requestedBy, reason: requested.reason, at };
      return;
    }
    case 'MigrationCompleted':
      state.status = 'completed';
      state.completedAt = at;
      for (const candidate of allSteps(state)) if (candidate.status === 'succeeded') candidate.completedAt ??= at;
      return;
    case 'MigrationFailed': {
      const failed = data as unknown as Data<typeof MigrationFailed>;
      failMigration(state, { code: failed.code, message: failed.message, stepId: failed.stepId }, at);
      return;
    }
    case 'RollbackStarted': {
      const started = data as unknown as Data<typeof RollbackStarted>;
      state.status = 'rolling_back';
      // A retried rollback is checked again.
      state.comparisons.delete(RESTORATION_LABEL);
      state.rollback = {
        trigger: started.trigger,
        reason: started.reason,
        requestedBy: started.requestedBy,
        receivedAt: new Date(started.receivedAt),
        compensation: started.compensation,
        compensated: [],
        finishedAt: null,
        durationMs: null,
        failure: null,
      };
      for (const compensation of started.compensation) {
        const target = findStep(state, compensation.stepId);
        if (target && target.status !== 'compensated') target.status = 'compensating';
      }
      return;
    }
    case 'MigrationRolledBack':
      // `rolled_back` promises the target matches the pre-migration baseline: with a baseline to
      // check against, the status waits for the restoration check (DataCompared `restoration`).
      state.status = state.baselines.has(PRE_MIGRATION_BASELINE) ? 'rolling_back' : 'rolled_back';
      if (state.rollback) {
        state.rollback.finishedAt = at;
        state.rollback.durationMs = Number(data.durationMs);
      }
      return;
    case 'RollbackFailed': {
      const failed = data as unknown as Data<typeof RollbackFailed>;
      state.status = 'rollback_failed';
      if (state.rollback) state.rollback.failure = { stepId: failed.stepId, code: failed.code, message: failed.message };
      return;
    }
    case 'RollbackRehearsed': {
      const rehearsed = data as unknown as Data<typeof RollbackRehearsed>;
      state.rehearsal = { passed: rehearsed.passed, at, data: rehearsed };
      return;
    }
    default:
      applyMonitorFact(state, event.type, event.data, at);
      return;
  }
}

function succeed(step: StepState, at: Date): void {
  step.succeededAt ??= at;
  // An outcome arriving after a rollback began does not undo the rollback's bookkeeping.
  if (step.status === 'compensating' || step.status === 'compensated') return;
  step.status = 'succeeded';
  step.finishedAt = at;
}

function failStep(state: MigrationState, step: StepState, failure: StepState['failure'] & object, at: Date): void {
  if (step.status === 'compensating' || step.status === 'compensated') {
    // A start interrupted by its own rollback reports a failure: that is the rollback working.
    return;
  }
  step.status = 'failed';
  step.finishedAt = at;
  step.failure = failure;
  const phase = state.phases[step.phaseIndex];
  if (phase && phase.status !== 'completed') phase.status = 'failed';
  if (state.status === 'running' || state.status === 'paused' || state.status === 'completing') {
    failMigration(state, { ...failure, stepId: step.id }, at);
  }
}

/** The restoration check decides what the rollback ended in: `rolled_back` only when the target is as it was. */
function restorationChecked(state: MigrationState, compared: Data<typeof DataCompared>): void {
  if (state.status !== 'rolling_back' || !state.rollback?.finishedAt) return;
  if (compared.passed) {
    state.status = 'rolled_back';
    return;
  }
  // no-loss: a row written since is fine, a baselined row gone is not (named when the baseline kept row hashes).
  const lost = compared.tables.filter((table) => (table.removed?.count ?? 0) > 0 || (table.removed === null && table.mismatchedSegments > 0)).map((table) => table.table);
  const reasons = [...(compared.schema?.differences ?? []), ...(lost.length > 0 ? [`rows baselined in ${lost.join(', ')} are missing or changed`] : [])];
  rollbackUnverified(state, { code: 'restoration_mismatch', message: `every compensation ran, but the target is not as it was before the migration: ${reasons.join('; ') || 'see the restoration check'}` });
}

function rollbackUnverified(state: MigrationState, failure: { code: string; message: string }): void {
  state.status = 'rollback_failed';
  if (state.rollback) state.rollback.failure = { stepId: null, ...failure };
}

function compensate(state: MigrationState, step: StepState, at: Date): void {
  step.status = 'compensated';
  step.compensatedAt = at;
  if (state.rollback && !state.rollback.compensated.includes(step.id)) state.rollback.compensated.push(step.id);
}

function rollbackStepFailed(state: MigrationState, stepId: string, failure: { code: string; message: string; pgCode: string | null }, at: Date): void {
  const step = findStep(state, stepId);
  if (step) step.failure = { code: failure.code, message: failure.message, pgCode: failure.pgCode };
  if (state.rollback) state.rollback.failure = { stepId, code: failure.code, message: failure.message, pgCode: failure.pgCode };
  void at;
}

/** How the timeline says why a step waits (StepApprovalRequested `reason`). */
const APPROVAL_REASON_TEXT: Record<string, string> = { irreversible: 'is irreversible', breaking_contract: 'breaks its API contract' };

/** One line for the report's timeline; null for events too frequent to list (checkpoints). */
function describe(event: FoldableEvent, state: MigrationState): string | null {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const phaseName = (index: unknown) => state.phases[Number(index)]?.name ?? String(index);
  const monitorLine = describeMonitorEvent(event.type, event.data);
  if (monitorLine !== undefined) return monitorLine;
  switch (event.type) {
    case 'BackfillCheckpointRecorded':
    case 'SchemaStepStarted':
      return null;
    case 'MigrationStarted':
      return `started by ${String(data.requestedBy)}`;
    case 'MigrationPaused':
      return `paused by ${String(data.requestedBy)}${data.reason ? `: ${String(data.reason)}` : ''}`;
    case 'MigrationResumed':
      return `resumed by ${String(data.requestedBy)}`;
    case 'PhaseStarted':
      return `phase "${phaseName(data.phaseIndex)}" started`;
    case 'PhaseCompleted':
      return `phase "${phaseName(data.phaseIndex)}" completed in ${String(data.durationMs)} ms`;
    case 'StepDispatched':
      return `step "${String(data.stepId)}" (${String(data.kind)}) dispatched`;
    case 'StepApproved':
      return `step "${String(data.stepId)}" approved by ${String(data.approvedBy)}`;
    case 'StepApprovalRequested':
      return `step "${String(data.stepId)}" ${APPROVAL_REASON_TEXT[String(data.reason)] ?? `is ${String(data.reason)}`}: waits for an approval by someone other than ${String(data.startedBy)}`;
    case 'MigrationCompleteRequested':
      return data.reason === 'window_elapsed' ? 'rollback window elapsed: completing' : `complete requested by ${String(data.requestedBy)}`;
    case 'RollbackStarted':
      return `rollback (${String(data.trigger)}) requested by ${String(data.requestedBy)}: ${String(data.reason)}`;
    default: {
      const step = typeof data.stepId === 'string' ? ` step "${data.stepId}"` : '';
      const label = typeof data.label === 'string' ? ` ${data.label}` : '';
      const failed = typeof data.message === 'string' && /Failed|Errored/.test(event.type) ? `: ${data.message}` : '';
      return `${event.type}${step}${label}${failed}`;
    }
  }
}
