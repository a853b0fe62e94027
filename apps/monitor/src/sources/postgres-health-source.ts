import type { PostgresBuiltin } from '@bascule/contracts';
import type { Pool } from 'pg';
import { PolledSource, type Sample } from './sample-buffer';


interface Reading {
  at: number;
  commits: number;
  rollbacks: number;
  deadlocks: number;
  lockWaits: number;
  longestWaitSeconds: number;
  active: number;
}

const READING_SQL = `
SELECT d.xact_commit::float8 AS commits, d.xact_rollback::float8 AS rollbacks, d.deadlocks::float8 AS deadlocks,
       (SELECT count(*) FROM pg_locks l WHERE NOT l.granted AND l.pid <> pg_backend_pid())::float8 AS lock_waits,
       coalesce((SELECT extract(epoch FROM max(now() - l.waitstart)) FROM pg_locks l WHERE NOT l.granted), 0)::float8 AS longest_wait,
       (SELECT count(*) FROM pg_stat_activity a
         WHERE a.datname = current_database() AND a.state = 'active' AND a.pid <> pg_backend_pid())::float8 AS active
  FROM pg_stat_database d WHERE d.datname = current_database()`;

/**
 * One built-in figure, one sample per tick: counters as rates over the tick (commits per second,
 * rolled-back share of transactions, deadlocks per tick), gauges as read (waiting locks, the longest
 * lock wait in seconds, active sessions other than ours).
 */
export class PostgresHealthSource extends PolledSource {
  private previous: Reading | null = null;

  constructor(
    name: string,
    private readonly builtin: PostgresBuiltin,
    private readonly pool: Pool,
    everyMs: number,
    keepMs: number,
  ) {
    super(name, everyMs, keepMs);
  }

  protected async read(): Promise<Sample | null> {
    let reading: Reading;
    try {
      const { rows } = await this.pool.query<{ commits: number; rollbacks: number; deadlocks: number; lock_waits: number; longest_wait: number; active: number }>(READING_SQL);
      const row = rows[0];
      reading = { at: Date.now(), commits: row.commits, rollbacks: row.rollbacks, deadlocks: row.deadlocks, lockWaits: row.lock_waits, longestWaitSeconds: row.longest_wait, active: row.active };
    } catch {
      return { at: Date.now(), value: Number.NaN, failed: true };
    }
    const previous = this.previous;
    this.previous = reading;
    const value = valueOf(this.builtin, reading, previous);
    return value === null ? null : { at: reading.at, value, failed: false };
  }
}

/** The figure from this reading and the one before (null for a rate's first reading). */
export function valueOf(builtin: PostgresBuiltin, now: Reading, before: Reading | null): number | null {
  switch (builtin) {
    case 'lock_waits':
      return now.lockWaits;
    case 'longest_lock_wait':
      return now.longestWaitSeconds;
    case 'active_connections':
      return now.active;
  }
  if (!before) return null;
  const seconds = Math.max((now.at - before.at) / 1000, 0.001);
  const commits = Math.max(now.commits - before.commits, 0);
  const rollbacks = Math.max(now.rollbacks - before.rollbacks, 0);
  switch (builtin) {
    case 'commit_rate':
      return commits / seconds;
    case 'rollback_ratio':
      return commits + rollbacks === 0 ? 0 : rollbacks / (commits + rollbacks);
    case 'deadlocks':
      return Math.max(now.deadlocks - before.deadlocks, 0);
  }
}
