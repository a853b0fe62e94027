import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A throw-away database next to the target (same server), dropped when the rehearsal ends. */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onServer(targetUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(targetUrl, 'postgres'), application_name: 'bascule-rehearsal' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(targetUrl: string): Promise<ScratchDatabase> {
  const name = `bascule_rehearsal_${randomBytes(6).toString('hex')}`;
  // The name is ours (hex), so it needs no quoting beyond the double quotes.
  await onServer(targetUrl, `CREATE DATABASE "${name}"`);
  return { name, url: withDatabase(targetUrl, name), drop: () => onServer(targetUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
