import type { Client, Pool, PoolClient } from 'pg';

/** A pool, or one client when the caller wants the work inside its own transaction. */
export type Queryable = Pool | PoolClient | Client;
