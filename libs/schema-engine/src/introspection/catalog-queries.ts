/**
 * Catalog queries behind `introspect`. They read pg_catalog only (not information_schema, which
 * hides objects the role does not own and is slow on big catalogs), one query per object kind for
 * every table of the schema at once.
 */

/** Ordinary and partitioned tables of one schema. */
export const TABLES_SQL = `
SELECT c.oid::int8 AS oid, c.relname AS name, c.relreplident AS replica_identity,
       c.reltuples::float8 AS row_estimate, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
 ORDER BY c.relname`;

/** Columns in attribute order; a stored generated column keeps its expression in pg_attrdef too. */
export const COLUMNS_SQL = `
SELECT a.attrelid::int8 AS table_oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS "default",
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated,
       NULLIF(a.attidentity, '') AS identity,
       col_description(a.attrelid, a.attnum) AS comment
  FROM pg_attribute a
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum`;

/** Constraints with their columns in constraint order (NOT NULL is a column property before Postgres 18). */
export const CONSTRAINTS_SQL = `
SELECT con.conrelid::int8 AS table_oid, con.conname AS name, con.contype AS type,
       pg_get_constraintdef(con.oid) AS definition, con.convalidated AS validated,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS ref_columns
  FROM pg_constraint con
  LEFT JOIN pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
 WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'c', 'f', 'x')
 ORDER BY con.conrelid, con.conname`;

/** Indexes with their key columns (not INCLUDE columns); an expression key column is NULL. */
export const INDEXES_SQL = `
SELECT i.indrelid::int8 AS table_oid, ic.relname AS name, i.indisunique AS unique, i.indisvalid AS valid,
       pg_get_indexdef(i.indexrelid) AS definition,
       ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE k.ord <= i.indnkeyatts
              ORDER BY k.ord) AS columns,
       con.conname AS "constraint"
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  LEFT JOIN pg_constraint con
    ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
 WHERE i.indrelid = ANY($1::oid[])
 ORDER BY i.indrelid, ic.relname`;
