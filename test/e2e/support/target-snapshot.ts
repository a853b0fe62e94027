import { execFileSync } from 'node:child_process';
import { escapeIdentifier, type Pool } from 'pg';

/**
 * The target as a user would check it by hand, independent of Bascule's own verifier:
 * `pg_dump --schema-only` of the application schema plus an md5 over every row of each table in
 * key order. Two snapshots are equal when the schema and every row are.
 */
export interface TargetSnapshot {
  schema: string;
  rows: Record<string, { count: number; md5: string }>;
}

export async function snapshotTarget(pool: Pool, databaseUrl: string, tables: string[], schema = 'public'): Promise<TargetSnapshot> {
  const dump = execFileSync('pg_dump', ['--schema-only', '--no-owner', '--schema', schema, databaseUrl], { encoding: 'utf8' });
  const rows: TargetSnapshot['rows'] = {};
  for (const table of tables) {
    const { rows: result } = await pool.query<{ n: string; md5: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(t::text, E'\\n' ORDER BY t.id)) AS md5 FROM ${escapeIdentifier(schema)}.${escapeIdentifier(table)} t`,
    );
    rows[table] = { count: Number(result[0].n), md5: result[0].md5 ?? '' };
  }
  // Comments, blank lines and pg_dump's \restrict / \unrestrict lines (a random key per dump) carry no schema.
  const schemaText = dump
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('--') && !/^\\(un)?restrict /.test(line))
    .join('\n');
  return { schema: schemaText, rows };
}
