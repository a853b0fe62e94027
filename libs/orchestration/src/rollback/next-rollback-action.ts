import type { CompensationStep } from '@bascule/contracts';
import { findStep, type MigrationState } from '../state/migration-state';

/** A schema rollback finding no active migration on the target: the start never ran there, so nothing is left to undo. */
export const NOTHING_TO_UNDO_CODES: ReadonlySet<string> = new Set(['NO_ACTIVE_MIGRATION']);

export type RollbackAction =
  /** Send this compensation's command (again: its id is deterministic) and wait for its outcome. */
  | { kind: 'send'; compensation: CompensationStep }
  /** Every compensation is done: record MigrationRolledBack. */
  | { kind: 'finish'; compensated: string[] }
  /** A compensation failed: record RollbackFailed and stop. */
  | { kind: 'fail'; stepId: string; code: string; message: string }
  /** Not rolling back: nothing to do. */
  | { kind: 'none' };

/**
 * The next thing a rollback must do, from the folded state alone: compensations run one at a
 * time in the order RollbackStarted fixed, each after the previous one's outcome.
 */
export function nextRollbackAction(state: MigrationState): RollbackAction {
  const rollback = state.rollback;
  if (state.status !== 'rolling_back' || !rollback) return { kind: 'none' };
  const compensated: string[] = [];
  for (const compensation of rollback.compensation) {
    if (rollback.compensated.includes(compensation.stepId)) {
      compensated.push(compensation.stepId);
      continue;
    }
    const failure = rollback.failure?.stepId === compensation.stepId ? rollback.failure : null;
    if (failure && NOTHING_TO_UNDO_CODES.has(failure.code) && findStep(state, compensation.stepId)?.kind === 'schema') {
      compensated.push(compensation.stepId);
      continue;
    }
    if (failure) return { kind: 'fail', stepId: compensation.stepId, code: failure.code, message: failure.message };
    return { kind: 'send', compensation };
  }
  return { kind: 'finish', compensated };
}
