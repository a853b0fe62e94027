import type { StepKind } from '@bascule/contracts';
import type { MigrationState, PhaseStatus, StepStatus } from '@bascule/orchestration';

export type RunOutcome = 'succeeded' | 'failed' | 'rolled_back';

/** A step or a phase whose run ended between two folds of its migration. */
export type EndedRun = { of: 'step'; kind: StepKind; outcome: RunOutcome; seconds: number } | { of: 'phase'; outcome: RunOutcome; seconds: number };

/** What a fold looked like before new events moved it: enough to tell which runs ended since. */
export interface RunSnapshot {
  rollingBack: boolean;
  steps: ReadonlyMap<string, StepStatus>;
  phases: readonly PhaseStatus[];
}

const OPEN_STEP: ReadonlySet<StepStatus> = new Set(['pending', 'running', 'waiting_approval']);
const OPEN_PHASE: ReadonlySet<PhaseStatus> = new Set(['pending', 'running', 'verifying']);

export function runSnapshot(state: MigrationState): RunSnapshot {
  return {
    rollingBack: state.rollback !== null,
    steps: new Map(state.phases.flatMap((phase) => phase.steps.map((step) => [step.id, step.status] as const))),
    phases: state.phases.map((phase) => phase.status),
  };
}

/**
 * The runs that ended between `before` and `state`, each once: a step when it reports success or
 * failure, or when a rollback takes it over (compensated while in flight, or still running when
 * the rollback began: `rolled_back`); a phase when it completes or fails, or is still open when
 * the rollback begins. A step that succeeded and is compensated later counts once, as succeeded:
 * the histogram describes runs, the rollback has its own. Runs that never started count nothing.
 */
export function endedRuns(before: RunSnapshot, state: MigrationState, now: Date): EndedRun[] {
  const rollbackBegan = !before.rollingBack && state.rollback !== null;
  const cutOffAt = state.rollback?.receivedAt ?? now;
  const ended: EndedRun[] = [];
  for (const phase of state.phases) {
    for (const step of phase.steps) {
      const was = before.steps.get(step.id);
      if (!was || !OPEN_STEP.has(was) || !step.startedAt) continue;
      const stillOpen = OPEN_STEP.has(step.status);
      if (stillOpen && !rollbackBegan) continue;
      const [outcome, end] =
        step.succeededAt !== null
          ? (['succeeded', step.succeededAt] as const)
          : step.failure !== null
            ? (['failed', step.finishedAt ?? now] as const)
            : (['rolled_back', step.compensatedAt ?? cutOffAt] as const);
      ended.push({ of: 'step', kind: step.kind, outcome, seconds: secondsBetween(step.startedAt, end) });
    }
    const was = before.phases[phase.index];
    if (!was || !OPEN_PHASE.has(was) || !phase.startedAt) continue;
    if (phase.status === 'completed') ended.push({ of: 'phase', outcome: 'succeeded', seconds: secondsBetween(phase.startedAt, phase.completedAt ?? now) });
    else if (phase.status === 'failed') ended.push({ of: 'phase', outcome: 'failed', seconds: secondsBetween(phase.startedAt, state.failure?.at ?? now) });
    else if (rollbackBegan) ended.push({ of: 'phase', outcome: 'rolled_back', seconds: secondsBetween(phase.startedAt, cutOffAt) });
  }
  return ended;
}

function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, to.getTime() - from.getTime()) / 1000;
}
