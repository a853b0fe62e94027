import { Client } from 'pg';
import { quoteIdent } from '../sql/identifiers';

/**
 * A connected client that sees the database as one application version does: its `search_path`
 * is that version's schema (for the version before the first migration: the physical schema).
 * This is how applications pick their version, and how the migration's triggers tell an old
 * version's write from a new one's. The caller ends it.
 */
export async function withVersion(url: string, versionSchema: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: `bascule-version-${versionSchema}`.slice(0, 63) });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${quoteIdent(versionSchema)}`);
  } catch (error) {
    await client.end();
    throw error;
  }
  return client;
}
