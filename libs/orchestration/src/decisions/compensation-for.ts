import type { CompensationStep } from '@bascule/contracts';
import { deterministicId } from '../ids/deterministic-id';
import { allSteps, type MigrationState, type StepState } from '../state/migration-state';

/**
 * Steps whose effects are (or may be, while in flight) on the target and not yet undone. verify,
 * approval, analysis and backup steps change nothing there: no compensation (a backup's file stays).
 */
function needsCompensation(step: StepState): boolean {
  if (step.kind !== 'schema' && step.kind !== 'sql' && step.kind !== 'api') return false;
  // A failed canary leaves the new version with its share of the traffic until the rollback moves it back.
  if (step.kind === 'api' && step.status === 'failed') return true;
  return step.status === 'running' || step.status === 'succeeded' || step.status === 'compensating';
}

/**
 * The compensations a rollback runs: first every `api` step's (traffic back on the old version, so
 * no request meets a schema the old version no longer has), then the rest in reverse dependency
 * order of what ran: later phases first, inside a phase later waves first, and inside a wave the
 * reverse of spec order. A step still in
 * flight (a running backfill) is included: its rollback stops it first. Ids are deterministic per
 * migration and step, so a rollback resumed after a crash resends the same commands.
 */
export function compensationFor(state: Pick<MigrationState, 'id' | 'phases'>): CompensationStep[] {
  const ordered = allSteps(state)
    .map((step, specOrder) => ({ step, specOrder }))
    .filter(({ step }) => needsCompensation(step))
    .sort((a, b) => apiFirst(b.step) - apiFirst(a.step) || b.step.phaseIndex - a.step.phaseIndex || b.step.wave - a.step.wave || b.specOrder - a.specOrder);
  return ordered.map(({ step }) => ({
    stepId: step.id,
    kind: step.kind as 'schema' | 'sql' | 'api',
    action: COMPENSATION_ACTION[step.kind as 'schema' | 'sql' | 'api'],
    commandId: deterministicId(state.id, 'compensate', step.id),
  }));
}

const COMPENSATION_ACTION = { schema: 'schema.rollback', sql: 'sql.revert', api: 'api.rollback' } as const;
const apiFirst = (step: StepState) => (step.kind === 'api' ? 1 : 0);

/** `sql` steps declared `irreversible: true` among those a rollback would have to undo. */
export function irreversibleStepsIn(state: Pick<MigrationState, 'spec' | 'phases'>, compensation: readonly CompensationStep[]): string[] {
  const irreversible = new Set(state.spec.phases.flatMap((phase) => phase.steps).filter((step) => step.sql?.irreversible === true).map((step) => step.id));
  return compensation.filter((step) => irreversible.has(step.stepId)).map((step) => step.stepId);
}
