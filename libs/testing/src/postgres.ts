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

export interface TestRole {
  name: string;
  /** `database`'s URL, connecting as this role (trust authentication on the test server: no password). */
  urlOn(database: TestDatabase): string;
  /** Drops the role; drop every database holding its privileges first. */
  drop(): Promise<void>;
}

/** A fresh login role (not a superuser, owning nothing) for one test: roles are server-wide, so the name is unique. */
export async function createTestRole(prefix = 'bascule_role'): Promise<TestRole> {
  const name = uniqueName(prefix);
  await adminQuery(`CREATE ROLE "${name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  return {
    name,
    urlOn: (database) => {
      const url = new URL(database.url);
      url.username = name;
      url.password = '';
      return url.toString();
    },
    drop: () => adminQuery(`DROP ROLE IF EXISTS "${name}"`),
  };
}

/** Runs one statement on a connection of its own (opened and closed around it): a test's look at a database. */
export async function queryOnce<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
