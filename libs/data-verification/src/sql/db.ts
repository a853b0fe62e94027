import type { ClientBase, Pool } from 'pg';

/**
 * A pool (a connection is checked out per transaction) or a connected client the caller holds
 * and that is not inside a transaction of its own (ours would commit it).
 */
export type Db = Pool | ClientBase;

/** The connection a verification transaction runs on. */
export type Session = ClientBase;

/**
 * Duck-typed rather than `instanceof Pool`: a pool from another copy of `pg` must not be mistaken
 * for a client, or each statement of "one" transaction would run on a different connection.
 */
export function isPool(db: Db): db is Pool {
  return typeof (db as Partial<Pool>).totalCount === 'number' && typeof (db as Partial<Pool>).connect === 'function';
}
