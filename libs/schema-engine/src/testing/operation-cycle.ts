import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { SchemaEngine } from '../engine/schema-engine';
import type { SchemaEngineOptions } from '../engine/engine-options';
import { parseMigration } from '../format/parse-migration';
import { loadSqlParser } from '../format/sql-parser';
import type { Migration } from '../format/migration';
import { schemaDump } from './schema-dump';
import { withVersion } from './version-client';

/** A throwaway database for one test file; `drop()` it in afterAll. */
export async function createCycleDatabase(prefix = 'schema_engine'): Promise<TestDatabase> {
  // Operations validate SQL fragments with the WASM parser: load it before any migrationOf().
  await loadSqlParser();
  return createTestDatabase(prefix);
}

/** A migration from its operations, as if read from `<name>.yaml`. */
export function migrationOf(name: string, operations: unknown[], versionSchema?: string): Migration {
  return parseMigration({ operations, ...(versionSchema ? { version_schema: versionSchema } : {}) }, name);
}

/** An engine on the test database with short timeouts and small batches, so tests stay fast. */
export function testEngine(url: string, options: Partial<SchemaEngineOptions> = {}): SchemaEngine {
  return new SchemaEngine({
    databaseUrl: url,
    lockTimeoutMs: 200,
    // Generous retries: tests share two cores, and a slow neighbour must not look like a lock problem.
    retry: { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 500 },
    backfill: { batchSize: 50, delayMs: 0 },
    ...options,
  });
}

/** Runs SQL on the physical database (no version): setup and assertions. */
export async function sqlOn(url: string, sql: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Start then complete: a migration the cycle under test builds on. */
export async function applyMigration(url: string, migration: Migration, options: Partial<SchemaEngineOptions> = {}): Promise<void> {
  const engine = testEngine(url, options);
  try {
    await engine.start(migration, { complete: true });
  } finally {
    await engine.close();
  }
}

/** What each hook of `runOperationCycle` gets. */
export interface CycleContext {
  url: string;
  schema: string;
  engine: SchemaEngine;
  /** The migration's version schema (the new version). */
  versionSchema: string;
  /** The schema the old version reads through: the previous version schema, or the physical schema. */
  oldSchema: string;
  /** Clients whose search_path is the old / new version; closed for you after the hook. */
  oldVersion(): Promise<Client>;
  newVersion(): Promise<Client>;
  /** SQL on the physical schema. */
  sql(text: string, values?: unknown[]): Promise<Array<Record<string, unknown>>>;
}

export interface CycleHooks {
  afterStart?(ctx: CycleContext): Promise<void>;
  afterRollback?(ctx: CycleContext): Promise<void>;
  afterComplete?(ctx: CycleContext): Promise<void>;
}

export interface CycleOptions {
  schema?: string;
  engine?: Partial<SchemaEngineOptions>;
}

/** Thrown when rollback did not restore the schema exactly. */
export class SchemaNotRestoredError extends Error {
  constructor(
    readonly before: string,
    readonly after: string,
  ) {
    super(`rollback did not restore the schema:\n--- before start\n${before}\n--- after rollback\n${after}`);
  }
}

/**
 * pgroll's test shape for one migration: start → afterStart (both versions read and write, data
 * translated both ways) → rollback → the schema dump equals the one before start and the version
 * schema is gone → afterRollback → start again → complete → afterComplete (final shape and data).
 */
export async function runOperationCycle(url: string, migration: Migration, hooks: CycleHooks = {}, options: CycleOptions = {}) {
  const schema = options.schema ?? 'public';
  const engine = testEngine(url, { schema, ...options.engine });
  const opened: Client[] = [];
  const open = async (versionSchema: string) => {
    const client = await withVersion(url, versionSchema);
    opened.push(client);
    return client;
  };
  const closeOpened = async () => {
    await Promise.all(opened.splice(0).map((client) => client.end()));
  };
  try {
    const status = await engine.status();
    const oldSchema = status.latestVersionSchema ?? schema;
    const context = (versionSchema: string): CycleContext => ({
      url,
      schema,
      engine,
      versionSchema,
      oldSchema,
      oldVersion: () => open(oldSchema),
      newVersion: () => open(versionSchema),
      sql: (text, values) => sqlOn(url, text, values),
    });
    const before = await schemaDump(url, schema);

    const started = await engine.start(migration);
    await hooks.afterStart?.(context(started.versionSchema)).finally(closeOpened);

    await engine.rollback();
    const after = await schemaDump(url, schema);
    if (after !== before) throw new SchemaNotRestoredError(before, after);
    const left = await sqlOn(url, 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [started.versionSchema]);
    if (left.length > 0) throw new Error(`rollback left version schema "${started.versionSchema}" behind`);
    await hooks.afterRollback?.(context(started.versionSchema)).finally(closeOpened);

    await engine.start(migration);
    await engine.complete();
    await hooks.afterComplete?.(context(started.versionSchema)).finally(closeOpened);
    return { before, versionSchema: started.versionSchema };
  } finally {
    await closeOpened();
    await engine.close();
  }
}
