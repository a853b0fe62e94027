import type { Client } from 'pg';
import { splitTable } from '../planning/qualified-table';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (table: string) => {
  const { schema, table: name } = splitTable(table);
  return `${ident(schema)}.${ident(name)}`;
};

/**
 * Copies up to `limit` rows of each table from the target into the scratch copy. Foreign keys
 * are not enforced while copying (session_replication_role = replica): a sample cannot promise
 * every referenced row made it.
 */
export async function copySampledRows(from: Client, to: Client, tables: readonly string[], limit: number): Promise<number> {
  let copied = 0;
  await to.query('SET session_replication_role = replica');
  try {
    for (const table of tables) {
      const { rows } = await from.query(`SELECT to_jsonb(t) AS row FROM ${qualified(table)} t LIMIT ${Math.max(0, Math.floor(limit))}`);
      if (rows.length === 0) continue;
      await to.query(`INSERT INTO ${qualified(table)} OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_recordset(NULL::${qualified(table)}, $1::jsonb)`, [JSON.stringify(rows.map((r) => r.row))]);
      copied += rows.length;
    }
  } finally {
    await to.query('SET session_replication_role = DEFAULT');
  }
  return copied;
}

/** A checksum of every row of each table (order-independent): equal before and after means the rows are back. */
export async function tableChecksums(client: Client, tables: readonly string[]): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await client.query<{ sum: string | null; count: string }>(
      `SELECT md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS sum, count(*)::text AS count FROM ${qualified(table)} t`,
    );
    sums[table] = `${rows[0]?.count ?? 0}:${rows[0]?.sum ?? ''}`;
  }
  return sums;
}
