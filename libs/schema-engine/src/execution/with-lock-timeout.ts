import { setTimeout as sleep } from 'node:timers/promises';
import { LockTimeoutError, type OperationLocation } from '../errors';
import type { Queryable } from '../introspection/queryable';
import { backoffDelayMs, type LockRetryPolicy, RETRYABLE_SQLSTATES, sqlStateOf } from './lock-retry-policy';

/**
 * Runs `work` in its own transaction under `SET LOCAL lock_timeout`, retrying the whole
 * transaction on lock timeout / deadlock with exponential backoff and full jitter; after
 * `maxAttempts` throws `LockTimeoutError`. Other errors pass through unchanged. Used for
 * everything the engine runs, catalog reads included (pg_get_indexdef locks the index).
 */
export async function withLockTimeout<T>(
  client: Queryable,
  policy: LockRetryPolicy,
  location: OperationLocation,
  work: (client: Queryable) => Promise<T>,
  begin = 'BEGIN',
): Promise<{ result: T; attempts: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(begin);
      await client.query(`SET LOCAL lock_timeout = ${Math.trunc(policy.lockTimeoutMs)}`);
      const result = await work(client);
      await client.query('COMMIT');
      return { result, attempts: attempt + 1 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const sqlState = sqlStateOf(error);
      if (sqlState === null || !RETRYABLE_SQLSTATES.has(sqlState)) throw error;
      if (attempt + 1 >= policy.maxAttempts) throw new LockTimeoutError(location, attempt + 1, policy.lockTimeoutMs, { cause: error });
      await sleep(backoffDelayMs(attempt, policy));
    }
  }
}

/** `withLockTimeout` for a statement that must run outside a transaction (CONCURRENTLY). */
export async function withSessionLockTimeout<T>(
  client: Queryable,
  policy: LockRetryPolicy,
  location: OperationLocation,
  work: (client: Queryable) => Promise<T>,
): Promise<{ result: T; attempts: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`SET lock_timeout = ${Math.trunc(policy.lockTimeoutMs)}`);
      try {
        return { result: await work(client), attempts: attempt + 1 };
      } finally {
        await client.query('RESET lock_timeout').catch(() => undefined);
      }
    } catch (error) {
      const sqlState = sqlStateOf(error);
      if (sqlState === null || !RETRYABLE_SQLSTATES.has(sqlState)) throw error;
      if (attempt + 1 >= policy.maxAttempts) throw new LockTimeoutError(location, attempt + 1, policy.lockTimeoutMs, { cause: error });
      await sleep(backoffDelayMs(attempt, policy));
    }
  }
}
