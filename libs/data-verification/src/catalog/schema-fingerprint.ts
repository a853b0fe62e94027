import { createHash } from 'node:crypto';
import type { Db, Session } from '../sql/db';
import { inVerificationTransaction, type TransactionLimits } from '../sql/read-only-transaction';

/**
 * A table's shape as the catalog describes it, each part one canonical line per object, so two
 * fingerprints compare line by line and a difference can be named. Row checksums compare values,
 * and an integer and a bigint print the same: this is what tells them apart.
 */
export interface TableFingerprint {
  /** `schema.table` as asked. */
  table: string;
  exists: boolean;
  /** In column order: `name type [NOT NULL] [DEFAULT expr] [IDENTITY x] [GENERATED expr] [COLLATE c] [-- comment]`. */
  columns: string[];
  /** `name: definition`, by name. */
  constraints: string[];
  /** `name: definition [INVALID]`, by name. */
  indexes: string[];
  /** `name: definition [DISABLED|REPLICA|ALWAYS]`, by name (internal triggers of constraints left out). */
  triggers: string[];
  /** Every view or materialized view reading the table: `schema.view: definition`, by name. */
  views: string[];
  comment: string | null;
}

export interface SchemaFingerprint {
  tables: TableFingerprint[];
  /** sha256 of the canonical JSON of `tables`: equal digests, equal shapes. */
  digest: string;
}

const RELATION_SQL = `
SELECT c.oid::int8::text AS oid, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`;

const COLUMNS_SQL = `
SELECT concat_ws(' ', quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
         CASE WHEN a.attnotnull THEN 'NOT NULL' END,
         CASE WHEN a.attgenerated = '' AND d.adbin IS NOT NULL THEN 'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) END,
         CASE a.attidentity WHEN 'a' THEN 'IDENTITY ALWAYS' WHEN 'd' THEN 'IDENTITY BY DEFAULT' END,
         CASE WHEN a.attgenerated <> '' THEN 'GENERATED ' || pg_get_expr(d.adbin, d.adrelid) END,
         CASE WHEN co.collname IS NOT NULL AND co.collname <> 'default' THEN 'COLLATE ' || quote_ident(co.collname) END,
         '-- ' || col_description(a.attrelid, a.attnum)) AS line
  FROM pg_attribute a
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
 WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum`;

const CONSTRAINTS_SQL = `
SELECT quote_ident(conname) || ': ' || pg_get_constraintdef(oid) AS line
  FROM pg_constraint WHERE conrelid = $1::oid ORDER BY conname`;

const INDEXES_SQL = `
SELECT quote_ident(c.relname) || ': ' || pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END AS line
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = $1::oid ORDER BY c.relname`;

const TRIGGERS_SQL = `
SELECT quote_ident(tgname) || ': ' || pg_get_triggerdef(oid)
       || CASE tgenabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' REPLICA' WHEN 'A' THEN ' ALWAYS' ELSE '' END AS line
  FROM pg_trigger WHERE tgrelid = $1::oid AND NOT tgisinternal ORDER BY tgname`;

const VIEWS_SQL = `
SELECT DISTINCT v.oid::regclass::text || ': ' || pg_get_viewdef(v.oid) AS line
  FROM pg_depend d
  JOIN pg_rewrite r ON r.oid = d.objid
  JOIN pg_class v ON v.oid = r.ev_class
 WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
   AND d.refobjid = $1::oid AND v.oid <> $1::oid
 ORDER BY 1`;

/**
 * The fingerprint of each `{schema, table}` (a missing table is recorded as missing: a migration
 * that creates one must leave none behind when rolled back), read in one snapshot.
 */
export async function schemaFingerprint(db: Db, tables: ReadonlyArray<{ schema: string; table: string }>, limits: TransactionLimits = {}): Promise<SchemaFingerprint> {
  const fingerprints = await inVerificationTransaction(db, limits, async (session) => {
    const found: TableFingerprint[] = [];
    for (const ref of tables) found.push(await tableFingerprint(session, ref.schema, ref.table));
    return found;
  });
  return { tables: fingerprints, digest: createHash('sha256').update(JSON.stringify(fingerprints)).digest('hex') };
}

async function tableFingerprint(session: Session, schema: string, table: string): Promise<TableFingerprint> {
  const name = `${schema}.${table}`;
  const relation = await session.query<{ oid: string; comment: string | null }>(RELATION_SQL, [schema, table]);
  const found = relation.rows[0];
  if (!found) return { table: name, exists: false, columns: [], constraints: [], indexes: [], triggers: [], views: [], comment: null };
  const lines = async (sql: string) => (await session.query<{ line: string }>(sql, [found.oid])).rows.map((row) => row.line);
  return {
    table: name,
    exists: true,
    columns: await lines(COLUMNS_SQL),
    constraints: await lines(CONSTRAINTS_SQL),
    indexes: await lines(INDEXES_SQL),
    triggers: await lines(TRIGGERS_SQL),
    views: await lines(VIEWS_SQL),
    comment: found.comment,
  };
}

const PARTS = ['columns', 'constraints', 'indexes', 'triggers', 'views'] as const;
const SINGULAR: Record<(typeof PARTS)[number], string> = { columns: 'column', constraints: 'constraint', indexes: 'index', triggers: 'trigger', views: 'view' };

/**
 * Every way `now` differs from `before`, one sentence each (empty: the same shape). Tables are
 * matched by name; a part's lines by content, so a changed column reads as one line gone and one new.
 */
export function fingerprintDifferences(before: SchemaFingerprint, now: SchemaFingerprint): string[] {
  const differences: string[] = [];
  const current = new Map(now.tables.map((table) => [table.table, table]));
  for (const was of before.tables) {
    const is = current.get(was.table);
    if (!is) {
      differences.push(`${was.table}: not fingerprinted now`);
      continue;
    }
    if (was.exists !== is.exists) {
      differences.push(was.exists ? `${was.table}: the table is gone` : `${was.table}: the table exists, and did not before`);
      continue;
    }
    for (const part of PARTS) {
      const kept = new Set(is[part]);
      const had = new Set(was[part]);
      for (const line of was[part]) if (!kept.has(line)) differences.push(`${was.table}: ${SINGULAR[part]} ${line} is gone`);
      for (const line of is[part]) if (!had.has(line)) differences.push(`${was.table}: ${SINGULAR[part]} ${line} is new`);
    }
    const sameColumns = was.columns.length === is.columns.length && was.columns.every((line) => is.columns.includes(line));
    if (sameColumns && was.columns.some((line, index) => is.columns[index] !== line)) differences.push(`${was.table}: the columns are in another order`);
    if (was.comment !== is.comment) differences.push(`${was.table}: the table comment changed`);
  }
  return differences;
}
