import type { Pool } from 'pg';
import type { BackfillOptions } from '../backfill/backfill-progress';
import type { LockRetryPolicy } from '../execution/lock-retry-policy';
import type { EngineCallbacks } from '../runner/phase-context';

export interface SchemaEngineOptions extends EngineCallbacks {
  /** Connection string of the target database (or give `pool`). */
  databaseUrl?: string;
  /** A pool the caller owns (not ended by `close()`). */
  pool?: Pool;
  /** The physical schema migrations change (default `public`). */
  schema?: string;
  /** Where the engine keeps its state (default `bascule_schema`). */
  stateSchema?: string;
  /** `lock_timeout` of every statement, ms (default 500). */
  lockTimeoutMs?: number;
  /** Retries of a statement that timed out waiting for its lock. */
  retry?: Partial<Omit<LockRetryPolicy, 'lockTimeoutMs'>>;
  backfill?: Partial<BackfillOptions>;
  /** Create views WITH (security_invoker = true) (default true; Postgres 15+). */
  securityInvoker?: boolean;
}

export interface PhaseOptions extends EngineCallbacks {
  /** Stops a backfill between batches; its checkpoint stays and the next start/complete resumes. */
  signal?: AbortSignal;
  /**
   * Awaited between two backfill batches: resolves at once to go on, or later to hold the backfill
   * (the monitor's throttle: the target is suffering). The batch before it has committed.
   */
  throttle?: () => Promise<void>;
}

export interface StartOptions extends PhaseOptions {
  /** Complete right after start (no period with both versions live). */
  complete?: boolean;
}
