import type { MigrationState } from '../state/migration-state';

/**
 * The reason for an automatic rollback, or null when none is due: the migration failed (a step,
 * a verification, a phase check), its spec asks for `rollback.automatic`, no rollback was tried
 * yet, and the contract has not begun.
 */
export function automaticRollbackReason(state: MigrationState): string | null {
  if (!state.spec.rollback.automatic) return null;
  if (state.status !== 'failed' || state.rollback !== null || state.completeRequested !== null || state.startedAt === null) return null;
  const failure = state.failure;
  if (!failure) return 'the migration failed';
  return `${failure.stepId ? `step "${failure.stepId}" failed` : 'verification failed'}: [${failure.code}] ${failure.message}`;
}
