import { Client } from 'pg';
import { uniqueName } from './names';

export const TEST_PG_ADMIN_URL = process.env.BASCULE_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function urlFor(database: string): string {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh database of its own for one test file; `drop()` removes it, closing any session left on it. */
export async function createTestDatabase(prefix = 'bascule_test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: urlFor(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
