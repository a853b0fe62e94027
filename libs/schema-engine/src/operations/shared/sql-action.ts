import type { SqlAction } from '../operation';

/** An SqlAction; `transactional: false` for CREATE/DROP INDEX CONCURRENTLY, which cannot run in a transaction. */
export function sqlAction(sql: string, description: string, transactional = true): SqlAction {
  return transactional ? { kind: 'sql', sql, description } : { kind: 'sql', sql, description, transactional: false };
}
