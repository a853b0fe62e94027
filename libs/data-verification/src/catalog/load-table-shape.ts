import { TableNotFoundError } from '../errors/table-not-found.error';
import type { Session } from '../sql/db';
import { qualified } from '../sql/sql-identifiers';
import type { ColumnShape, TableShape } from './table-shape';

const RELATION_SQL = `
SELECT c.oid::int8::text AS oid
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`;

const COLUMNS_SQL = `
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
       CASE WHEN co.oid IS NOT NULL AND co.collname <> 'default'
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation
  FROM pg_attribute a
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
 WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum`;

// Only the first indnkeyatts entries of indkey are key columns; the rest are INCLUDE columns.
const UNIQUE_KEYS_SQL = `
SELECT i.indisprimary AS primary,
       array(SELECT a.attname::text
               FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, position)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              ORDER BY k.position) AS columns
  FROM pg_index i
 WHERE i.indrelid = $1::oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
 ORDER BY NOT i.indisprimary, i.indexrelid`;

/** Reads the table's columns and unique keys; throws TableNotFoundError when there is no such table. */
export async function loadTableShape(session: Session, schema: string, table: string): Promise<TableShape> {
  const relation = qualified(schema, table);
  const found = await session.query<{ oid: string }>(RELATION_SQL, [schema, table]);
  if (found.rows.length === 0) throw new TableNotFoundError(schema, table);
  const oid = found.rows[0].oid;
  const columns = await session.query<ColumnShape>(COLUMNS_SQL, [oid]);
  const keys = await session.query<{ primary: boolean; columns: string[] }>(UNIQUE_KEYS_SQL, [oid]);
  return {
    schema,
    table,
    relation,
    columns: columns.rows,
    primaryKey: keys.rows.find((key) => key.primary)?.columns ?? null,
    uniqueKeys: keys.rows.map((key) => key.columns),
  };
}
