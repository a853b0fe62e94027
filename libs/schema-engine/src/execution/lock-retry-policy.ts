import { DatabaseError } from 'pg';

/** How a statement waits for its lock and how often it tries again (pgroll: lock_timeout 500 ms). */
export interface LockRetryPolicy {
  /** `lock_timeout` of every statement the engine runs, in ms. */
  lockTimeoutMs: number;
  /** Attempts in all (first try included) before `LockTimeoutError`. */
  maxAttempts: number;
  /** First backoff cap; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_LOCK_RETRY_POLICY: LockRetryPolicy = {
  lockTimeoutMs: 500,
  maxAttempts: 10,
  baseDelayMs: 100,
  maxDelayMs: 5000,
};

/**
 * Exponential backoff with full jitter (AWS architecture blog): wait a uniform random time in
 * [0, min(maxDelay, base·2^attempt)). Jitter spreads competing retriers so they do not queue up
 * behind the same lock again in lockstep — a waiting ACCESS EXCLUSIVE request blocks every reader
 * queued after it, so each attempt must be short and the attempts spread out.
 */
export function backoffDelayMs(attempt: number, policy: LockRetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

/** SQLSTATEs worth retrying: lock_not_available (lock_timeout) and deadlock_detected. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['55P03', '40P01']);

/** The SQLSTATE of an error the server sent; null for anything else (a socket error's `EPIPE` is not one). */
export function sqlStateOf(error: unknown): string | null {
  return error instanceof DatabaseError && typeof error.code === 'string' ? error.code : null;
}
