import type { PlannedTable } from '@bascule/contracts';
import type { ClientBase } from 'pg';
import { splitTable } from './qualified-table';

/** Below this estimate an exact count(*) is cheap enough to run at plan time. */
const EXACT_COUNT_BELOW = 100_000;

/** What the target holds for each table the migration touches. Reads catalogs only (and count(*) of small tables). */
export async function introspectTables(client: ClientBase, tables: readonly string[]): Promise<PlannedTable[]> {
  const result: PlannedTable[] = [];
  for (const table of tables) result.push(await introspectTable(client, table));
  return result;
}

async function introspectTable(client: ClientBase, table: string): Promise<PlannedTable> {
  const { schema, table: name } = splitTable(table);
  const found = await client.query<{ oid: number; reltuples: number; bytes: string }>(
    `SELECT c.oid::int AS oid, c.reltuples::float8 AS reltuples, pg_total_relation_size(c.oid)::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [schema, name],
  );
  const row = found.rows[0];
  if (!row) return { table, exists: false, rows: null, bytes: null, primaryKey: [], indexes: [], foreignKeys: [], dependentViews: [] };
  // One client runs one query at a time: sequential on purpose.
  const rows = await rowCount(client, schema, name, row.reltuples);
  const [primaryKey, indexes, foreignKeys, dependentViews] = [
    await names(client, `SELECT a.attname AS name FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.n`, row.oid),
    await names(client, `SELECT pg_get_indexdef(indexrelid) AS name FROM pg_index WHERE indrelid = $1 ORDER BY indexrelid`, row.oid),
    await names(client, `SELECT conname || ': ' || pg_get_constraintdef(oid) AS name FROM pg_constraint
                    WHERE contype = 'f' AND (conrelid = $1 OR confrelid = $1) ORDER BY conname`, row.oid),
    await names(client, `SELECT DISTINCT vn.nspname || '.' || v.relname AS name FROM pg_depend d
                     JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
                     JOIN pg_namespace vn ON vn.oid = v.relnamespace
                    WHERE d.refobjid = $1 AND d.classid = 'pg_rewrite'::regclass AND v.oid <> $1 ORDER BY 1`, row.oid),
  ];
  return { table, exists: true, rows, bytes: Number(row.bytes), primaryKey, indexes, foreignKeys, dependentViews };
}

/** reltuples is -1 for a never-analyzed table and stale for a small one: count those exactly. */
async function rowCount(client: ClientBase, schema: string, table: string, reltuples: number): Promise<number> {
  if (reltuples >= EXACT_COUNT_BELOW) return Math.round(reltuples);
  const ident = (part: string) => `"${part.replace(/"/g, '""')}"`;
  const { rows } = await client.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${ident(schema)}.${ident(table)}`);
  return Number(rows[0]?.count ?? 0);
}

async function names(client: ClientBase, sql: string, oid: number): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(sql, [oid]);
  return rows.map((row) => row.name);
}
