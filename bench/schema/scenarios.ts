import { setTimeout as sleep } from 'node:timers/promises';
import { parseMigration, SchemaEngine } from '@bascule/schema-engine';
import type { Pool } from 'pg';
import { startWriteLoad, type LoadFigures } from './pgbench-load';
import { timed } from '../support/timing';

export const ACCOUNTS = 'pgbench_accounts';
const SETTLE_MS = 2000;

export interface ScenarioFigure extends LoadFigures {
  what: string;
  /** Wall time of the migration itself (0 for the control). */
  migrationMs: number;
  windowSeconds: number;
  /** False when the migration ran past the load window (the figures would miss its tail). */
  covered: boolean;
}

export type Migrate = () => Promise<void>;

/** Write load for a fixed window; the migration starts 2 s in and must end ≥ 2 s before the window does. */
export async function underWriteLoad(what: string, databaseUrl: string, windowSeconds: number, migrate: Migrate): Promise<ScenarioFigure> {
  const load = startWriteLoad(databaseUrl, windowSeconds);
  await sleep(SETTLE_MS);
  const run = await timed(migrate);
  const figures = await load.finished;
  const covered = run.ms + 2 * SETTLE_MS <= windowSeconds * 1000;
  return { what, ...figures, migrationMs: run.ms, windowSeconds, covered };
}

export function plainAlter(pool: Pool): Migrate {
  return async () => {
    await pool.query(`ALTER TABLE ${ACCOUNTS} ALTER COLUMN abalance TYPE bigint`);
  };
}

export function basculeAlter(databaseUrl: string, batchSize: number, name: string, phase: 'start' | 'both'): Migrate {
  return async () => {
    const engine = new SchemaEngine({ databaseUrl, schema: 'public', backfill: { batchSize, delayMs: 0 } });
    try {
      const migration = parseMigration(
        {
          operations: [
            { alter_column: { table: ACCOUNTS, column: 'abalance', type: 'bigint', up: 'abalance', down: 'CAST(abalance AS integer)' } },
          ],
        },
        name,
        'json',
      );
      await engine.start(migration);
      if (phase === 'both') await engine.complete();
    } finally {
      await engine.close();
    }
  };
}
