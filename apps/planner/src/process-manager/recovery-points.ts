import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { RecoveryPoint } from '@bascule/contracts';
import { TargetPoolRegistry } from '@bascule/service-kit';

/** The boundaries a point-in-time recovery may aim at: before and after each phase, expanded, completed. */
const AT_BOUNDARY = new Set(['PhaseStarted', 'PhaseCompleted', 'MigrationExpanded', 'MigrationCompleted']);
/** A boundary is not held up by a slow target for longer than this: the event goes without its point. */
const READ_TIMEOUT_MS = 2_000;

interface DecidedEvent {
  type: string;
  data: unknown;
}

/**
 * Reads the target's WAL position and time when the process manager records a phase boundary,
 * so the event (and the report) say where a point-in-time recovery would have to stop to land
 * just before that phase. One small pool per target; a target that does not answer costs the
 * event its recovery point, never the migration its progress.
 */
@Injectable()
export class RecoveryPoints implements OnApplicationShutdown {
  private readonly logger = new Logger(RecoveryPoints.name);
  private readonly pools = new TargetPoolRegistry({ max: 1, application_name: 'bascule-planner-recovery-points', statement_timeout: READ_TIMEOUT_MS, connectionTimeoutMillis: READ_TIMEOUT_MS });

  /** `events` with `data.recoveryPoint` added to each boundary event (one read of the target for all of them). */
  async stamp<T extends DecidedEvent>(target: string, events: T[]): Promise<T[]> {
    if (!events.some((event) => AT_BOUNDARY.has(event.type))) return events;
    const point = await this.read(target);
    if (!point) return events;
    return events.map((event) => (AT_BOUNDARY.has(event.type) ? { ...event, data: { ...(event.data as object), recoveryPoint: point } } : event));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pools.endAll();
  }

  private async read(target: string): Promise<RecoveryPoint | null> {
    try {
      // On a standby the WAL position is what it has replayed.
      const { rows } = await this.pools.get(target).query<{ lsn: string; at: Date }>(
        'SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn, now() AS at',
      );
      return rows[0]?.lsn ? { lsn: rows[0].lsn, at: rows[0].at.toISOString() } : null;
    } catch (error) {
      this.logger.warn(`no recovery point for target "${target}": ${(error as Error).message}`);
      return null;
    }
  }
}
