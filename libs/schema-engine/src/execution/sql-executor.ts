import { LockTimeoutError, OperationFailedError, type OperationLocation } from '../errors';
import type { Queryable } from '../introspection/queryable';
import type { SqlAction } from '../operations/operation';
import { sqlStateOf, type LockRetryPolicy } from './lock-retry-policy';
import { withLockTimeout, withSessionLockTimeout } from './with-lock-timeout';

export interface ExecutedAction {
  location: OperationLocation;
  action: SqlAction;
  attempts: number;
  durationMs: number;
}

/**
 * Runs one action under `lock_timeout`, in its own short transaction (or outside one when
 * `transactional: false`: CREATE/DROP INDEX CONCURRENTLY refuse transaction blocks), retrying on
 * lock timeout / deadlock. Any other failure becomes an `OperationFailedError` naming the
 * operation and the SQLSTATE.
 */
export async function executeSqlAction(
  client: Queryable,
  action: SqlAction,
  location: OperationLocation,
  policy: LockRetryPolicy,
): Promise<ExecutedAction> {
  const began = Date.now();
  const run = action.transactional === false ? withSessionLockTimeout : withLockTimeout;
  try {
    const { attempts } = await run(client, policy, location, (c) => c.query(action.sql));
    return { location, action, attempts, durationMs: Date.now() - began };
  } catch (error) {
    if (error instanceof LockTimeoutError) throw error;
    throw new OperationFailedError(location, sqlStateOf(error), `${(error as Error).message} — while running: ${action.description}`, {
      cause: error,
    });
  }
}
