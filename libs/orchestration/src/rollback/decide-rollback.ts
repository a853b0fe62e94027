import type { CompensationStep } from '@bascule/contracts';
import { compensationFor, irreversibleStepsIn } from '../decisions/compensation-for';
import { deterministicId } from '../ids/deterministic-id';
import type { MigrationState } from '../state/migration-state';

export type RollbackRejectionCode = 'unknown_migration' | 'already_rolled_back' | 'completed' | 'not_started' | 'irreversible';

export type RollbackDecision =
  | { kind: 'reject'; code: RollbackRejectionCode; message: string }
  /** A rollback is already under way: the request is a duplicate and changes nothing. */
  | { kind: 'already_rolling_back' }
  | { kind: 'start'; compensation: CompensationStep[] };

/**
 * What a rollback request means for the migration as its events say it is (null: no such
 * migration). Pure, so a redelivered command or a restarted rollback-manager decides the same.
 */
export function decideRollback(state: MigrationState | null): RollbackDecision {
  if (!state) return reject('unknown_migration', 'no migration with this id exists');
  switch (state.status) {
    case 'rolled_back':
      return reject('already_rolled_back', `the migration was already rolled back${state.rollback ? ` (requested by ${state.rollback.requestedBy})` : ''}`);
    case 'rolling_back':
      return { kind: 'already_rolling_back' };
    case 'completed':
    case 'completing':
      return reject('completed', `the contract phase has begun: the old version is gone, so there is nothing to roll back to${apiPastContract(state)}; write a new migration instead`);
    case 'planned':
      return reject('not_started', 'the migration has not started: nothing to roll back');
    default:
      break;
  }
  // A step that failed while completing leaves the status `failed`, but the contract has begun all the same.
  if (state.completeRequested) return reject('completed', `the contract phase has begun: the old version is gone${apiPastContract(state)}; write a new migration instead`);
  const compensation = compensationFor(state).map((step) => (state.rollback ? retriedCompensation(state, step) : step));
  const irreversible = irreversibleStepsIn(state, compensation);
  if (irreversible.length > 0) {
    return reject('irreversible', `step${irreversible.length === 1 ? '' : 's'} ${irreversible.map((id) => `"${id}"`).join(', ')} ran and declared irreversible: true; undo by hand or with a new migration`);
  }
  return { kind: 'start', compensation };
}

/**
 * For a migration that moved an API as well: which API would go back to which version across
 * which contracted schema step, so the refusal names what the on-call engineer asked for.
 */
function apiPastContract(state: MigrationState): string {
  const steps = state.spec.phases.flatMap((phase) => phase.steps);
  const apis = steps.flatMap((step) => (step.api ? [`"${step.api.service}" back to ${step.api.from.version} (step "${step.id}")`] : []));
  if (apis.length === 0) return '';
  const schemas = steps.filter((step) => step.schema).map((step) => `"${step.id}"`);
  const past = schemas.length > 0 ? ` across the contract of schema step${schemas.length === 1 ? '' : 's'} ${schemas.join(', ')}` : '';
  return `: the API ${apis.join(' and ')} cannot be rolled back${past}, whose old shape it reads`;
}

/**
 * A rollback retried after a RollbackFailed needs new command ids: the bus (duplicate window) and
 * the agents (processed-message store) would drop the first attempt's ids as repeats.
 */
function retriedCompensation(state: MigrationState, step: CompensationStep): CompensationStep {
  return { ...step, commandId: deterministicId(state.id, 'compensate', step.stepId, 'retry', String(state.version)) };
}

function reject(code: RollbackRejectionCode, message: string): RollbackDecision {
  return { kind: 'reject', code, message };
}
