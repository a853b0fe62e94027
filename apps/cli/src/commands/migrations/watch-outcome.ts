import { automaticRollbackReason, type MigrationState } from '@bascule/orchestration';
import { ON_CALL_EXIT } from './on-call-exit';

export interface WatchOutcome {
  /** The status the watch stopped at. */
  status: string;
  exitCode: number;
  /** Why this status ends the watch, for the last line. */
  meaning: string;
}

/**
 * Where `bascule migrations watch` stops, and what it exits with; null keeps watching. A watch
 * ends where the migration rests until a person or the rollback window acts:
 * - `expanded` (every phase done, rollback still instant) and `completed`: 0;
 * - `rolled_back`: 10; `rollback_failed`: 11; `paused`: 12;
 * - `failed`: 11, unless an automatic rollback is due (`rollback.automatic`, the rollback-manager
 *   is about to start it): then the watch follows the rollback too.
 * `planned`, `running`, `completing` and `rolling_back` keep it going: someone or something is
 * about to move the migration.
 */
export function watchOutcome(state: MigrationState): WatchOutcome | null {
  switch (state.status) {
    case 'expanded':
      return { status: state.status, exitCode: ON_CALL_EXIT.ok, meaning: 'every phase is done; `bascule complete` contracts it (or the rollback window does), `bascule rollback` still undoes it at once' };
    case 'completed':
      return { status: state.status, exitCode: ON_CALL_EXIT.ok, meaning: 'the migration is complete' };
    case 'rolled_back':
      return { status: state.status, exitCode: ON_CALL_EXIT.watchRolledBack, meaning: 'the target is back where it was before the migration, checked' };
    case 'rollback_failed':
      return { status: state.status, exitCode: ON_CALL_EXIT.watchFailed, meaning: 'a compensation did not take effect: `bascule migrations show` says what is still in place' };
    case 'paused':
      return { status: state.status, exitCode: ON_CALL_EXIT.watchPaused, meaning: '`bascule resume` continues it' };
    case 'failed':
      if (automaticRollbackReason(state) !== null) return null;
      return { status: state.status, exitCode: ON_CALL_EXIT.watchFailed, meaning: 'no automatic rollback follows: `bascule rollback` undoes what ran' };
    default:
      return null;
  }
}
