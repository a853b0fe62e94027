import type { MigrationSpec, MigrationStep } from '@bascule/contracts';
import { executionOrder } from '@bascule/migration-spec';
import { parseMigration, SchemaEngine } from '@bascule/schema-engine';
import { Client } from 'pg';

export interface StepCheck {
  name: string;
  passed: boolean;
  detail: string;
}

/** Steps in the order the process manager runs them (phase, wave, spec order). */
export function stepsInRunOrder(spec: MigrationSpec): MigrationStep[] {
  const byId = new Map(spec.phases.flatMap((phase) => phase.steps).map((step) => [step.id, step]));
  return executionOrder(spec).flatMap((phase) => phase.waves.flat().map((id) => byId.get(id)).filter((step): step is MigrationStep => step !== undefined));
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'bascule-rehearsal' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `up` then `verify` in one transaction, as the agent runs a sql step. */
async function applySql(url: string, sql: NonNullable<MigrationStep['sql']>): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(sql.up);
      if (sql.verify) await client.query(sql.verify);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
}

async function onEngine(url: string, step: MigrationStep, work: (engine: SchemaEngine) => Promise<unknown>): Promise<void> {
  const engine = new SchemaEngine({ databaseUrl: url, schema: step.schema?.schema ?? 'public' });
  try {
    await work(engine);
  } finally {
    await engine.close();
  }
}

/** Runs one step forward on the scratch copy; a verify or approval step changes nothing. */
export async function runForward(url: string, step: MigrationStep): Promise<void> {
  if (step.schema) {
    const body = { ...(step.schema.version_schema ? { version_schema: step.schema.version_schema } : {}), operations: step.schema.operations ?? [] };
    await onEngine(url, step, (engine) => engine.start(parseMigration(body, step.id, 'json')));
  } else if (step.sql) {
    await applySql(url, step.sql);
  }
}

/** Undoes one step as a rollback would (schema rollback, or the sql step's down). */
export async function runBack(url: string, step: MigrationStep): Promise<void> {
  if (step.schema) await onEngine(url, step, (engine) => engine.rollback());
  else if (step.sql?.down) await withClient(url, (client) => client.query(step.sql?.down ?? ''));
}
