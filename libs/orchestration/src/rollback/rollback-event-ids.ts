import { deterministicId } from '../ids/deterministic-id';
import type { MigrationState } from '../state/migration-state';

/**
 * Ids of the events a rollback decision appends: the same decision taken twice (a redelivered
 * event, a restart, two copies of the rollback-manager) yields the same id, and the store keeps one.
 */
export const rollbackEventIds = {
  /** One per state the decision was taken from: a retry after RollbackFailed is a new attempt. */
  started: (state: Pick<MigrationState, 'id' | 'version'>) => deterministicId(state.id, 'RollbackStarted', String(state.version)),
  rolledBack: (state: Pick<MigrationState, 'id' | 'rollback'>) => deterministicId(state.id, 'MigrationRolledBack', attemptOf(state)),
  failed: (state: Pick<MigrationState, 'id' | 'rollback'>) => deterministicId(state.id, 'RollbackFailed', attemptOf(state)),
  /** One per command message: a redelivery appends nothing, a new command gets its own answer. */
  rejected: (migrationId: string, commandMessageId: string) => deterministicId(migrationId, 'RollbackRejected', commandMessageId),
};

function attemptOf(state: Pick<MigrationState, 'rollback'>): string {
  return state.rollback?.receivedAt.toISOString() ?? 'none';
}
