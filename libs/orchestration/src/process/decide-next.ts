import { durationToMs } from '@bascule/contracts';
import { readySteps, phaseStepsSucceeded } from '../decisions/ready-steps';
import { deterministicId, baselineLabel, phaseCheckLabel } from '../ids/deterministic-id';
import { allSteps, type MigrationState, type PhaseState, type StepState } from '../state/migration-state';
import { approvalReasonOf } from './approval-gate';
import { awaitsMonitorBaseline, monitorBaselineCommand } from './monitor-baseline';
import { baselineCommand, compareCommand, gatedTables } from './phase-gate';
import { NOTHING_TO_DO, type DecidedCommand, type DecidedEvent, type ProcessDecision } from './process-decision';
import { completeCommand, dispatchCommandId, stepCommand } from './step-commands';

export interface DecideOptions {
  /**
   * Also re-send the commands of steps already dispatched and still running (a restart: the
   * previous process may have stored `StepDispatched` and died before sending). Off by default:
   * a step that runs long (a backfill) must not get its start delivered twice while it runs.
   */
  resendInFlight?: boolean;
}

/** Actor of the events the process manager writes by itself. */
export const PROCESS_ACTOR = 'bascule';

/**
 * The process manager's next move for a migration, from its folded state alone: the events to
 * append (deterministic ids) and the commands to send once they are stored. One transition at a
 * time: the caller appends, folds again and asks again until nothing is left to do.
 */
export function decideNext(state: MigrationState, now: Date, options: DecideOptions = {}): ProcessDecision {
  if (state.paused) return NOTHING_TO_DO;
  switch (state.status) {
    case 'running':
      return decideRunning(state, now, options);
    case 'expanded':
      return decideExpanded(state, now);
    case 'completing':
      return decideCompleting(state, now);
    default:
      return NOTHING_TO_DO;
  }
}

function event(state: MigrationState, type: string, data: Record<string, unknown>, ...idParts: string[]): DecidedEvent {
  return { eventId: deterministicId(state.id, type, ...idParts), type, data: { migrationId: state.id, ...data } };
}

function decideRunning(state: MigrationState, now: Date, options: DecideOptions): ProcessDecision {
  const phase = state.phases.find((candidate) => candidate.status !== 'completed');
  if (!phase) {
    const windowMs = durationToMs(state.spec.rollback.window) ?? 0;
    const completeAfter = new Date(now.getTime() + windowMs).toISOString();
    return { events: [event(state, 'MigrationExpanded', { completeAfter })], commands: [] };
  }
  if (phase.status === 'failed') return NOTHING_TO_DO;
  // Sent again on every decision until the baseline is recorded, like a phase's data baseline (same id: a repeat is dropped).
  if (phase.index === 0 && phase.status === 'pending' && awaitsMonitorBaseline(state)) return { events: [], commands: [monitorBaselineCommand(state)] };
  if (phase.status === 'pending') {
    const gated = gatedTables(state).length > 0;
    return {
      events: [event(state, 'PhaseStarted', { phaseIndex: phase.index, phase: phase.name }, String(phase.index))],
      commands: gated ? [baselineCommand(state, phase.index)] : [],
    };
  }
  return decideInPhase(state, phase, now, options);
}

function decideInPhase(state: MigrationState, phase: PhaseState, now: Date, options: DecideOptions): ProcessDecision {
  const gated = gatedTables(state).length > 0;
  if (gated && !state.baselines.has(baselineLabel(phase.index))) {
    return { events: [], commands: [baselineCommand(state, phase.index)] };
  }
  if (phaseStepsSucceeded(phase)) {
    const comparison = state.comparisons.get(phaseCheckLabel(phase.index));
    if (gated && !comparison) return { events: [], commands: [compareCommand(state, phase)] };
    if (gated && !comparison?.passed) return NOTHING_TO_DO; // the fold has failed the migration
    const durationMs = phase.startedAt ? now.getTime() - phase.startedAt.getTime() : 0;
    return { events: [event(state, 'PhaseCompleted', { phaseIndex: phase.index, phase: phase.name, durationMs }, String(phase.index))], commands: [] };
  }
  const candidates = readySteps(state, phase);
  const waiting = candidates.filter((step) => needsApproval(state, step));
  const ready = candidates.filter((step) => !needsApproval(state, step));
  const events = [
    ...waiting.map((step) =>
      event(state, 'StepApprovalRequested', { phaseIndex: phase.index, stepId: step.id, reason: approvalReasonOf(state, step), startedBy: state.startedBy ?? PROCESS_ACTOR }, step.id),
    ),
    ...ready.map((step) => {
      const commandId = dispatchCommandId(state.id, step.id);
      return event(state, 'StepDispatched', { phaseIndex: phase.index, stepId: step.id, kind: step.kind, commandId }, step.id);
    }),
  ];
  const commands: DecidedCommand[] = [];
  for (const step of ready) pushCommand(commands, stepCommand(state, step, dispatchCommandId(state.id, step.id)));
  if (options.resendInFlight) {
    for (const step of phase.steps) if (step.status === 'running') pushCommand(commands, stepCommand(state, step));
  }
  return { events, commands };
}

function pushCommand(commands: DecidedCommand[], command: DecidedCommand | null): void {
  if (command) commands.push(command);
}

function decideExpanded(state: MigrationState, now: Date): ProcessDecision {
  if (!state.completeAfter || now.getTime() < state.completeAfter.getTime()) return NOTHING_TO_DO;
  return {
    events: [event(state, 'MigrationCompleteRequested', { requestedBy: PROCESS_ACTOR, reason: 'window_elapsed' })],
    commands: [],
  };
}

/** Contract every schema step; once each reported `SchemaStepCompleted` the migration is completed. */
function decideCompleting(state: MigrationState, now: Date): ProcessDecision {
  const schemaSteps = allSteps(state).filter((step) => step.kind === 'schema');
  const open = schemaSteps.filter((step) => step.status !== 'completed');
  if (open.length === 0) {
    const durationMs = state.startedAt ? now.getTime() - state.startedAt.getTime() : 0;
    return { events: [event(state, 'MigrationCompleted', { durationMs })], commands: [] };
  }
  const commands = open.filter((step) => step.status === 'succeeded').map((step) => completeCommand(state, step));
  return { events: [], commands };
}

/**
 * An irreversible `sql` step, or an `api` step planned with breaking contract changes under
 * `breaking: approve`, runs only once someone other than the starter approved it.
 */
function needsApproval(state: MigrationState, step: StepState): boolean {
  return step.approvedBy === null && approvalReasonOf(state, step) !== null;
}
