import type { Queryable } from '../introspection/queryable';

/**
 * A session-level advisory lock per target schema, held for a whole phase (start incl. backfill,
 * complete, rollback) on the phase's own connection: two engines never run phases of the same
 * schema at once. It dies with the connection, so a crashed engine never leaves it behind.
 */
function lockKey(stateSchema: string, schema: string): [string, string] {
  return [stateSchema, schema];
}

export async function tryLockSchema(client: Queryable, stateSchema: string, schema: string): Promise<boolean> {
  const [a, b] = lockKey(stateSchema, schema);
  const result = await client.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked',
    [a, b],
  );
  return result.rows[0].locked;
}

export async function unlockSchema(client: Queryable, stateSchema: string, schema: string): Promise<void> {
  const [a, b] = lockKey(stateSchema, schema);
  await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [a, b]);
}
