import type { CompensationStep } from '@bascule/contracts';
import { deterministicId } from '../ids/deterministic-id';
import { allSteps, type MigrationState, type StepState } from '../state/migration-state';

/** Steps whose effects are (or may be, while in flight) on the target and not yet undone. */
function needsCompensation(step: StepState): boolean {
  if (step.kind !== 'schema' && step.kind !== 'sql') return false;
  return step.status === 'running' || step.status === 'succeeded' || step.status === 'compensating';
}

/**
 * The compensations a rollback runs, in reverse dependency order of what ran: later phases first,
 * inside a phase later waves first, and inside a wave the reverse of spec order. A step still in
 * flight (a running backfill) is included: its rollback stops it first. Ids are deterministic per
 * migration and step, so a rollback resumed after a crash resends the same commands.
 */
export function compensationFor(state: Pick<MigrationState, 'id' | 'phases'>): CompensationStep[] {
  const ordered = allSteps(state)
    .map((step, specOrder) => ({ step, specOrder }))
    .filter(({ step }) => needsCompensation(step))
    .sort((a, b) => b.step.phaseIndex - a.step.phaseIndex || b.step.wave - a.step.wave || b.specOrder - a.specOrder);
  return ordered.map(({ step }) => ({
    stepId: step.id,
    kind: step.kind as 'schema' | 'sql',
    action: step.kind === 'schema' ? 'schema.rollback' : 'sql.revert',
    commandId: deterministicId(state.id, 'compensate', step.id),
  }));
}

/** `sql` steps declared `irreversible: true` among those a rollback would have to undo. */
export function irreversibleStepsIn(state: Pick<MigrationState, 'spec' | 'phases'>, compensation: readonly CompensationStep[]): string[] {
  const irreversible = new Set(state.spec.phases.flatMap((phase) => phase.steps).filter((step) => step.sql?.irreversible === true).map((step) => step.id));
  return compensation.filter((step) => irreversible.has(step.stepId)).map((step) => step.stepId);
}
