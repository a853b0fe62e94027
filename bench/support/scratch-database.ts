import { Client, escapeIdentifier } from 'pg';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A throwaway database on the given server, dropped (sessions and all) when the bench ends. */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await onAdmin(serverUrl, `CREATE DATABASE ${escapeIdentifier(name)}`);
  return {
    name,
    url: url.toString(),
    drop: () => onAdmin(serverUrl, `DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`),
  };
}

async function onAdmin(serverUrl: string, sql: string): Promise<void> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
