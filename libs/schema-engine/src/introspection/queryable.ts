import type { QueryResult, QueryResultRow } from 'pg';

/** Anything that runs a query: a `pg.Client`, a `pg.PoolClient` or a `pg.Pool`. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
