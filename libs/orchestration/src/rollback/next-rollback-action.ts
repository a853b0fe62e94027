import type { CompensationStep } from '@bascule/contracts';
import { RESTORATION_LABEL } from '../ids/deterministic-id';
import { findStep, type MigrationState } from '../state/migration-state';

/**
 * A schema rollback finding no active migration on the target: when the step never reported
 * expanded, its start never took effect there and nothing is left to undo. When it had expanded,
 * someone completed or rolled back that change outside this migration: the rollback fails.
 */
export const NOTHING_TO_UNDO_CODES: ReadonlySet<string> = new Set(['NO_ACTIVE_MIGRATION']);

export type RollbackAction =
  /** Send this compensation's command (again: its id is deterministic) and wait for its outcome. */
  | { kind: 'send'; compensation: CompensationStep }
  /** Every compensation is done: record MigrationRolledBack. */
  | { kind: 'finish'; compensated: string[] }
  /** A compensation failed: record RollbackFailed and stop. */
  | { kind: 'fail'; stepId: string; code: string; message: string }
  /** Every compensation ran (MigrationRolledBack): send the restoration check, whose verdict ends the rollback. */
  | { kind: 'verify' }
  /** Not rolling back: nothing to do. */
  | { kind: 'none' };

/**
 * The next thing a rollback must do, from the folded state alone: compensations run one at a
 * time in the order RollbackStarted fixed, each after the previous one's outcome.
 */
export function nextRollbackAction(state: MigrationState): RollbackAction {
  const rollback = state.rollback;
  if (state.status !== 'rolling_back' || !rollback) return { kind: 'none' };
  if (rollback.finishedAt) return state.comparisons.has(RESTORATION_LABEL) ? { kind: 'none' } : { kind: 'verify' };
  const compensated: string[] = [];
  for (const compensation of rollback.compensation) {
    if (rollback.compensated.includes(compensation.stepId)) {
      compensated.push(compensation.stepId);
      continue;
    }
    const failure = rollback.failure?.stepId === compensation.stepId ? rollback.failure : null;
    const step = findStep(state, compensation.stepId);
    if (failure && NOTHING_TO_UNDO_CODES.has(failure.code) && step?.kind === 'schema') {
      if (step.succeededAt === null) {
        compensated.push(compensation.stepId);
        continue;
      }
      const message = `step "${step.id}" had expanded on the target, which now has no active migration: its change was completed or rolled back outside this migration; check the target before anything else`;
      return { kind: 'fail', stepId: compensation.stepId, code: 'EXPANSION_GONE', message };
    }
    if (failure) return { kind: 'fail', stepId: compensation.stepId, code: failure.code, message: failure.message };
    return { kind: 'send', compensation };
  }
  return { kind: 'finish', compensated };
}
