import { setTimeout as sleep } from 'node:timers/promises';
import { foldMigration, type MigrationState, type MigrationStatus } from '@bascule/orchestration';
import type { PlannerClient } from './planner-client';
import { progressLine } from './progress-line';

/** The migration did not reach what the caller waited for: it ended elsewhere, or time ran out. */
export class MigrationWaitError extends Error {
  readonly code: 'MIGRATION_ENDED_ELSEWHERE' | 'MIGRATION_WAIT_TIMEOUT';

  constructor(
    readonly migrationId: string,
    readonly wanted: string,
    readonly state: MigrationState | undefined,
    timedOut: boolean,
  ) {
    const where = state ? progressLine(state) : 'no events yet';
    super(timedOut ? `migration ${migrationId} did not reach ${wanted} in time (now: ${where})` : `migration ${migrationId} ended ${where} instead of reaching ${wanted}`);
    this.code = timedOut ? 'MIGRATION_WAIT_TIMEOUT' : 'MIGRATION_ENDED_ELSEWHERE';
    this.name = 'MigrationWaitError';
  }
}

export interface WatchOptions {
  /** Resolve once this holds. */
  until: (state: MigrationState) => boolean;
  /** Describes `until` in errors: `expanded`. */
  wanted: string;
  /** Statuses after which `until` can no longer hold: throw. Default failed, rolled_back, completed (unless wanted). */
  givesUpOn?: readonly MigrationStatus[];
  timeoutMs: number;
  intervalMs?: number;
  /** Called with each new progress line (only when it changed). */
  onLine?: (line: string, state: MigrationState) => void;
  signal?: AbortSignal;
}

/**
 * Polls `GET /migrations/:id/events` and folds them (the same fold the services use), so the
 * caller sees phases, steps and backfill checkpoints, not only the status.
 */
export async function watchMigration(planner: PlannerClient, id: string, options: WatchOptions): Promise<MigrationState> {
  const deadline = Date.now() + options.timeoutMs;
  const givesUpOn = options.givesUpOn ?? ['failed', 'rolled_back', 'rollback_failed', 'completed'];
  let last = '';
  let state: MigrationState | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const events = await planner.events(id);
    if (events.length > 0) {
      state = foldMigration(events);
      const line = progressLine(state);
      if (line !== last) options.onLine?.(line, state);
      last = line;
      if (options.until(state)) return state;
      if (givesUpOn.includes(state.status)) throw new MigrationWaitError(id, options.wanted, state, false);
    }
    if (Date.now() > deadline) throw new MigrationWaitError(id, options.wanted, state, true);
    await sleep(options.intervalMs ?? 200, undefined, { signal: options.signal });
  }
}

export function statusIs(...statuses: MigrationStatus[]): (state: MigrationState) => boolean {
  return (state) => statuses.includes(state.status);
}
