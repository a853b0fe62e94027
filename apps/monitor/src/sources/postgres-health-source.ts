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

// pg_locks covers the whole server: only the waits of sessions on the target's own database count
// (a row lock's wait is on a transaction id, with no database of its own, so the session says).
const READING_SQL = `
WITH waiting AS (
  SELECT l.waitstart FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
   WHERE NOT l.granted AND a.datname = current_database() AND l.pid <> pg_backend_pid())
SELECT d.xact_commit::float8 AS commits, d.xact_rollback::float8 AS rollbacks, d.deadlocks::float8 AS deadlocks,
       (SELECT count(*) FROM waiting)::float8 AS lock_waits,
       coalesce((SELECT extract(epoch FROM max(now() - waitstart)) FROM waiting), 0)::float8 AS longest_wait,
       (SELECT count(*) FROM pg_stat_activity a
         WHERE a.datname = current_database() AND a.state = 'active' AND a.pid <> pg_backend_pid())::float8 AS active
  FROM pg_stat_database d WHERE d.datname = current_database()`;

// The monitor's own statement is left out of the figure it computes. pg_stat_statements keeps the
// comment in the text it shows for a statement.
const STATEMENTS_SQL = `/* bascule-monitor */
SELECT coalesce(sum(s.calls), 0)::float8 AS calls, coalesce(sum(s.total_exec_time), 0)::float8 AS exec_ms
  FROM pg_stat_statements s
 WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND s.query NOT LIKE '/* bascule-monitor */%'`;

/** What the target says when pg_stat_statements cannot be read, and what to do about it. */
const STATEMENTS_MISSING: Record<string, string> = {
  '42P01': 'pg_stat_statements is not installed in the target database: CREATE EXTENSION pg_stat_statements there (the server also needs shared_preload_libraries = pg_stat_statements)',
  '55000': "pg_stat_statements is installed but not loaded by the server: add it to shared_preload_libraries and restart the target's server",
};

/**
 * One built-in figure, one sample per tick: counters as rates over the tick (commits per second,
 * rolled-back share of transactions, deadlocks per tick), gauges as read (waiting locks, the longest
 * lock wait in seconds, active sessions other than ours).
 */
export class PostgresHealthSource extends PolledSource {
  private previous: Reading | null = null;
  private previousStatements: { calls: number; execMs: number } | null = null;
  /** Why the latest sample failed (the target's error, or what is missing); null after a good one. */
  lastProblem: string | null = null;

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
    if (this.builtin === 'statement_time') return this.readStatements();
    let reading: Reading;
    try {
      const { rows } = await this.pool.query<{ commits: number; rollbacks: number; deadlocks: number; lock_waits: number; longest_wait: number; active: number }>(READING_SQL);
      const row = rows[0];
      reading = { at: Date.now(), commits: row.commits, rollbacks: row.rollbacks, deadlocks: row.deadlocks, lockWaits: row.lock_waits, longestWaitSeconds: row.longest_wait, active: row.active };
    } catch (error) {
      this.lastProblem = (error as Error).message;
      return { at: Date.now(), value: Number.NaN, failed: true };
    }
    this.lastProblem = null;
    const previous = this.previous;
    this.previous = reading;
    const value = valueOf(this.builtin, reading, previous);
    return value === null ? null : { at: reading.at, value, failed: false };
  }

  /** Mean ms per call of the statements that ran since the last reading; nothing for a tick without calls. */
  private async readStatements(): Promise<Sample | null> {
    let now: { calls: number; execMs: number };
    try {
      const { rows } = await this.pool.query<{ calls: number; exec_ms: number }>(STATEMENTS_SQL);
      now = { calls: rows[0].calls, execMs: rows[0].exec_ms };
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      this.lastProblem = STATEMENTS_MISSING[code] ?? (error as Error).message;
      return { at: Date.now(), value: Number.NaN, failed: true };
    }
    this.lastProblem = null;
    const before = this.previousStatements;
    this.previousStatements = now;
    // A reset (pg_stat_statements_reset, eviction) makes the sums go down: start over from this reading.
    if (!before || now.calls <= before.calls || now.execMs < before.execMs) return null;
    return { at: Date.now(), value: (now.execMs - before.execMs) / (now.calls - before.calls), failed: false };
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
    case 'statement_time':
      throw new Error('statement_time is read from pg_stat_statements, not from this reading');
  }
}
