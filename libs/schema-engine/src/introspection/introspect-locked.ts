import type { OperationLocation } from '../errors';
import type { LockRetryPolicy } from '../execution/lock-retry-policy';
import { withLockTimeout } from '../execution/with-lock-timeout';
import type { SchemaModel } from '../model/schema-model';
import { introspect } from './introspect';
import type { Queryable } from './queryable';

/**
 * `introspect` under the engine's lock timeout and retries, in one REPEATABLE READ snapshot:
 * pg_get_indexdef takes a lock on each index, so a reader must not queue forever behind an
 * ACCESS EXCLUSIVE lock (nor make others queue behind it).
 */
export async function introspectLocked(
  client: Queryable,
  schema: string,
  policy: LockRetryPolicy,
  migration: string,
): Promise<SchemaModel> {
  const location: OperationLocation = { migration, phase: 'validate', index: null, kind: null };
  const { result } = await withLockTimeout(client, policy, location, (c) => introspect(c, schema), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  return result;
}
