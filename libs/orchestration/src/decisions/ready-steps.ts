import { allSteps, type MigrationState, type PhaseState, type StepState } from '../state/migration-state';

/**
 * Steps of `phase` that may be dispatched now: pending, and every step they depend on (in this
 * phase or an earlier one) has succeeded. Steps of one wave come out together: they run in parallel.
 */
export function readySteps(state: Pick<MigrationState, 'phases'>, phase: PhaseState): StepState[] {
  const succeeded = new Set(allSteps(state).filter((step) => step.status === 'succeeded').map((step) => step.id));
  return phase.steps.filter((step) => step.status === 'pending' && step.dependsOn.every((dependency) => succeeded.has(dependency)));
}

/** Every step of the phase has succeeded. */
export function phaseStepsSucceeded(phase: PhaseState): boolean {
  return phase.steps.every((step) => step.status === 'succeeded');
}
