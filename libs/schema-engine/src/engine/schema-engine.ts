import { Pool, type PoolClient } from 'pg';
import type { BackfillOptions } from '../backfill/backfill-progress';
import { InvalidMigrationError, MigrationAlreadyActiveError, SchemaBusyError } from '../errors';
import type { LockRetryPolicy } from '../execution/lock-retry-policy';
import { resolveOptions } from './resolve-options';
import type { Migration } from '../format/migration';
import { introspectLocked } from '../introspection/introspect-locked';
import { loadSqlParser } from '../format/sql-parser';
import type { SchemaModel } from '../model/schema-model';
import type { ValidationIssue } from '../operations/operation';
import { completeMigration, type FinishOutcome } from '../runner/complete-migration';
import type { PhaseContext } from '../runner/phase-context';
import { rollbackMigration } from '../runner/rollback-migration';
import { startMigration, validateLive, type StartOutcome } from '../runner/start-migration';
import { tryLockSchema, unlockSchema } from '../state/schema-lock';
import { MigrationStore } from '../state/migration-store';
import { DEFAULT_STATE_SCHEMA, ensureStateSchema } from '../state/state-schema';
import type { PhaseOptions, SchemaEngineOptions, StartOptions } from './engine-options';
import { describePlan, type MigrationPlan } from './migration-plan';
import { migrateDirectory, type MigrateOutcome } from './migrate-directory';
import { readSchemaStatus, type SchemaStatus } from './schema-status';

function both<T>(first?: (value: T) => void, second?: (value: T) => void): ((value: T) => void) | undefined {
  if (!first || !second) return first ?? second;
  return (value) => {
    first(value);
    second(value);
  };
}

export interface StartResult extends StartOutcome {
  completed: boolean;
}

/**
 * The schema engine: pgroll-format migrations against one schema of one database. Each phase
 * runs on a dedicated connection holding the schema's advisory lock for its whole duration.
 */
export class SchemaEngine {
  readonly schema: string;
  readonly stateSchema: string;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly policy: LockRetryPolicy;
  private readonly backfill: BackfillOptions;

  constructor(private readonly options: SchemaEngineOptions) {
    const { policy, backfill } = resolveOptions(options);
    this.policy = policy;
    this.backfill = backfill;
    this.pool = options.pool ?? new Pool({ connectionString: options.databaseUrl, max: 4, application_name: 'bascule-schema-engine' });
    this.ownsPool = !options.pool;
    // An idle pooled connection the server closed is simply discarded; without a listener its
    // 'error' event would crash the process.
    if (this.ownsPool) this.pool.on('error', () => undefined);
    this.schema = options.schema ?? 'public';
    this.stateSchema = options.stateSchema ?? DEFAULT_STATE_SCHEMA;
  }

  /** Every problem of the migration against the live schema (empty: valid). Changes nothing. */
  async validate(migration: Migration): Promise<ValidationIssue[]> {
    await loadSqlParser();
    return this.withClient(async (client) => (await validateLive(this.readContext(client), migration)).issues);
  }

  /** The SQL each phase would run, from the live schema. Throws `InvalidMigrationError`. Changes nothing. */
  async plan(migration: Migration): Promise<MigrationPlan> {
    await loadSqlParser();
    return this.withClient(async (client) => {
      const { names, planning, issues } = await validateLive(this.readContext(client), migration);
      if (issues.length > 0) throw new InvalidMigrationError(migration.name, issues);
      const status = await readSchemaStatus(client, this.stateSchema, this.schema);
      const previous = status.migrations.find((record) => record.status === 'completed')?.versionSchema ?? null;
      return describePlan(migration, names, planning, previous, this.options.securityInvoker ?? true);
    });
  }

  async start(migration: Migration, options: StartOptions = {}): Promise<StartResult> {
    return this.phase(options, async (ctx) => {
      const outcome = await startMigration(ctx, migration);
      if (options.complete) await completeMigration(ctx);
      return { ...outcome, completed: options.complete === true };
    }, 'start', migration.name);
  }

  async complete(options: PhaseOptions = {}): Promise<FinishOutcome> {
    return this.phase(options, (ctx) => completeMigration(ctx));
  }

  async rollback(options: PhaseOptions = {}): Promise<FinishOutcome> {
    return this.phase(options, (ctx) => rollbackMigration(ctx));
  }

  async status(): Promise<SchemaStatus> {
    return this.withClient((client) => readSchemaStatus(client, this.stateSchema, this.schema));
  }

  /** Starts (and completes, but for the last unless `complete`) every migration file of `dir` not yet completed, in name order. */
  async migrate(dir: string, options: StartOptions = {}): Promise<MigrateOutcome> {
    return migrateDirectory(this, dir, options);
  }

  /** The live schema as the operations see it. */
  async introspect(): Promise<SchemaModel> {
    return this.withClient((client) => introspectLocked(client, this.schema, this.policy, '(introspection)'));
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  private readContext(client: PoolClient) {
    return { client, schema: this.schema, stateSchema: this.stateSchema, policy: this.policy };
  }

  private async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  private async phase<T>(
    options: PhaseOptions,
    work: (ctx: PhaseContext) => Promise<T>,
    refuseAs: 'start' | 'finish' = 'finish',
    startName?: string,
  ): Promise<T> {
    // Operations check SQL fragments with the WASM parser, synchronously: it must be loaded first.
    await loadSqlParser();
    const client = await this.pool.connect();
    let broken = false;
    // A connection lost mid-phase rejects the running query; the event itself must not crash us.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await ensureStateSchema(client, this.stateSchema);
      if (!(await tryLockSchema(client, this.stateSchema, this.schema))) {
        // Another engine is mid-phase. If that is another migration's start, say so plainly.
        const holder = await new MigrationStore(client, this.stateSchema).active(this.schema);
        if (holder && refuseAs === 'start' && holder.name !== startName) throw new MigrationAlreadyActiveError(this.schema, holder.name);
        throw new SchemaBusyError(this.schema);
      }
      try {
        return await work({
          client,
          store: new MigrationStore(client, this.stateSchema),
          schema: this.schema,
          stateSchema: this.stateSchema,
          policy: this.policy,
          backfill: this.backfill,
          securityInvoker: this.options.securityInvoker ?? true,
          // Engine-wide callbacks (a CLI's progress bar) and per-call ones (an agent's events for one step).
          onProgress: both(this.options.onProgress, options.onProgress),
          onAction: both(this.options.onAction, options.onAction),
          signal: options.signal,
          throttle: options.throttle,
        });
      } finally {
        await unlockSchema(client, this.stateSchema, this.schema).catch(() => {
          broken = true;
        });
      }
    } finally {
      // A connection whose unlock failed may still hold the lock: destroy it rather than pool it.
      client.removeListener('error', onError);
      client.release(broken ? true : undefined);
    }
  }
}
