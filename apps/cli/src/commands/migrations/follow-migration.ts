import type { MigrationState } from '@bascule/orchestration';
import { MigrationWaitError, watchMigration } from './migration-watch';
import { ON_CALL_EXIT, OnCallError } from './on-call-exit';
import { emit, plannerClientFor, type PlannerOptions } from './on-call-options';
import type { WatchOutcome } from './watch-outcome';

export interface FollowOptions extends PlannerOptions {
  /** Milliseconds between two polls. */
  interval: number;
  /** Milliseconds before giving up (exit 13); absent: never. */
  timeout?: number;
}

/**
 * Polls the migration's events and folds them as the services do (so a line shows the phase, its
 * steps and a backfill's rows), printing each change, until `ends` names an outcome.
 */
export async function followMigration(id: string, options: FollowOptions, ends: (state: MigrationState) => WatchOutcome | null): Promise<number> {
  const planner = plannerClientFor(options);
  // A 404 here names the id; the event poll below would only say "GET … answered 404".
  await planner.get(id);
  try {
    const state = await watchMigration(planner, id, {
      until: (candidate) => ends(candidate) !== null,
      wanted: 'a status where it rests',
      givesUpOn: [],
      timeoutMs: options.timeout ?? Number.POSITIVE_INFINITY,
      intervalMs: options.interval,
      onLine: (line, candidate) => emit(options, `${clock()} ${line}`, { at: new Date().toISOString(), status: candidate.status, progress: line }),
    });
    const outcome = ends(state) as WatchOutcome;
    emit(options, `${clock()} ${id} is ${outcome.status}: ${outcome.meaning}`, { ended: outcome.status, exitCode: outcome.exitCode });
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof MigrationWaitError && error.code === 'MIGRATION_WAIT_TIMEOUT') {
      throw new OnCallError('WATCH_TIMED_OUT', `${id} is still ${error.state?.status ?? 'without events'} after --timeout`, ON_CALL_EXIT.watchTimedOut);
    }
    throw error;
  }
}

/** `14:03:22`, local time: when on call, the wall clock is what people compare with. */
function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}
