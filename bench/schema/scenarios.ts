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
  /** The migration phase the slowest transaction began in. */
  slowestDuring: string;
}

/** Runs the migration, calling `phase` as each phase begins (for attributing the worst stall). */
export type Migrate = (phase: (name: string) => void) => Promise<void>;

function phaseAt(marks: Array<[number, string]>, at: number | null): string {
  if (at === null) return '–';
  let during = marks.length > 0 ? 'before the migration' : 'no migration';
  for (const [since, name] of marks) if (since <= at) during = name;
  return during;
}

/** Write load for a fixed window; the migration starts 2 s in and must end ≥ 2 s before the window does. */
export async function underWriteLoad(what: string, databaseUrl: string, windowSeconds: number, migrate: Migrate): Promise<ScenarioFigure> {
  const load = startWriteLoad(databaseUrl, windowSeconds);
  await sleep(SETTLE_MS);
  const marks: Array<[number, string]> = [];
  const phase = (name: string) => marks.push([Date.now(), name]);
  const run = await timed(() => migrate(phase));
  if (marks.length > 0) phase('after the migration');
  const figures = await load.finished;
  const covered = run.ms + 2 * SETTLE_MS <= windowSeconds * 1000;
  return { what, ...figures, migrationMs: run.ms, windowSeconds, covered, slowestDuring: phaseAt(marks, figures.slowestStartedAtMs) };
}

export function plainAlter(pool: Pool): Migrate {
  return async (phase) => {
    phase('ALTER TABLE');
    await pool.query(`ALTER TABLE ${ACCOUNTS} ALTER COLUMN abalance TYPE bigint`);
  };
}

export function basculeAlter(databaseUrl: string, batchSize: number, name: string, phases: 'start' | 'both', delayMs = 0): Migrate {
  return async (phase) => {
    let backfilling = false;
    const onProgress = () => {
      if (!backfilling) phase('start: backfill');
      backfilling = true;
    };
    const engine = new SchemaEngine({ databaseUrl, schema: 'public', backfill: { batchSize, delayMs }, onProgress });
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
      phase('start: DDL');
      await engine.start(migration);
      if (phases === 'both') {
        phase('complete');
        await engine.complete();
      }
    } finally {
      await engine.close();
    }
  };
}
