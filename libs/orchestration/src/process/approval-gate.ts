import type { PlannedStep } from '@bascule/contracts';
import type { MigrationState, StepState } from '../state/migration-state';
import { specStepOf } from './step-commands';

/**
 * Why a step may not run without someone's say-so: a `sql` step declared irreversible, or an
 * `api` step whose plan found error-level contract changes under `breaking: approve`. Both are
 * recorded as StepApprovalRequested and need a StepApproved from someone other than the starter.
 */
export type ApprovalReason = 'irreversible' | 'breaking_contract';

/** The step as planned at `POST /migrations`: what MigrationPlanned recorded for it. */
export function plannedStepOf(state: Pick<MigrationState, 'plan'>, step: Pick<StepState, 'id' | 'phaseIndex'>): PlannedStep | undefined {
  return state.plan.phases[step.phaseIndex]?.steps.find((candidate) => candidate.id === step.id);
}

/** Why the step must wait for an approval; null when it need not. Approval steps wait by their kind, not here. */
export function approvalReasonOf(state: Pick<MigrationState, 'spec' | 'plan'>, step: StepState): ApprovalReason | null {
  if (specStepOf(state, step).sql?.irreversible === true) return 'irreversible';
  // Read from the plan, not recomputed: the approval covers exactly the changes the plan showed.
  if (plannedStepOf(state, step)?.requiresApproval?.reason === 'breaking_contract') return 'breaking_contract';
  return null;
}
