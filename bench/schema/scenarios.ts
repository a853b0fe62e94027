import { setTimeout as sleep } from 'node:timers/promises';
import { parseMigration, SchemaEngine, type BackfillOptions, type BatchFigures } from '@bascule/schema-engine';
import type { Pool } from 'pg';
import { startWriteLoad, type LoadFigures } from './pgbench-load';
import { startWaitSampler, type WaitSample } from './wait-sampler';
import { timed } from '../support/timing';

export const ACCOUNTS = 'pgbench_accounts';
const SETTLE_MS = 2000;
/**
 * Between start and complete: both versions live, the sync triggers firing on every write and no
 * backfill — so the triggers' cost shows apart from the batches'.
 */
export const EXPANDED_HOLD_MS = 2000;

/** A committed backfill batch and when it committed (epoch ms). */
export interface BatchSample extends BatchFigures {
  atMs: number;
}

/** What a migration did and when: phase marks (epoch ms), its batches, its DDL statements. */
export class MigrationRecorder {
  readonly marks: Array<[number, string]> = [];
  readonly batches: BatchSample[] = [];
  readonly actions: Array<{ atMs: number; ms: number; description: string }> = [];

  phase(name: string, atMs = Date.now()): void {
    this.marks.push([atMs, name]);
    this.marks.sort((a, b) => a[0] - b[0]);
  }

  batch(figures: BatchFigures, done: boolean): void {
    const atMs = Date.now();
    // The backfill began when its first transaction did, not when that one committed.
    if (this.batches.length === 0) this.phase('start: backfill', atMs - figures.ms);
    this.batches.push({ ...figures, atMs });
    if (done) this.phase('start: after the backfill');
  }
}

export interface ScenarioFigure extends LoadFigures {
  what: string;
  /** Wall time of the migration itself (0 for the control). */
  migrationMs: number;
  windowSeconds: number;
  /** False when the migration ran past the window (the figures would miss its tail). */
  covered: boolean;
  /** The migration phase the slowest transaction began in. */
  slowestDuring: string;
  recorder: MigrationRecorder;
  /** What pgbench's sessions waited on, sampled through the window. */
  waits: WaitSample[];
}

/** Runs the migration, recording its phases and batches (for attributing the stalls). */
export type Migrate = (recorder: MigrationRecorder) => Promise<void>;

export function phaseAt(marks: ReadonlyArray<[number, string]>, at: number | null): string {
  if (at === null) return '–';
  let during = marks.length > 0 ? 'before the migration' : 'no migration';
  for (const [since, name] of marks) if (since <= at) during = name;
  return during;
}

/** Write load for a fixed window; the migration starts 2 s in and must end ≥ 2 s before the window does. */
export async function underWriteLoad(what: string, databaseUrl: string, windowSeconds: number, migrate: Migrate): Promise<ScenarioFigure> {
  const sampler = await startWaitSampler(databaseUrl);
  const load = startWriteLoad(databaseUrl, windowSeconds);
  await sleep(SETTLE_MS);
  const recorder = new MigrationRecorder();
  const run = await timed(() => migrate(recorder));
  if (recorder.marks.length > 0) recorder.phase('after the migration');
  const figures = await load.finished;
  const waits = await sampler.stop();
  const covered = run.ms + 2 * SETTLE_MS <= windowSeconds * 1000;
  return { what, ...figures, migrationMs: run.ms, windowSeconds, covered, slowestDuring: phaseAt(recorder.marks, figures.slowestStartedAtMs), recorder, waits };
}

export function plainAlter(pool: Pool): Migrate {
  return async (recorder) => {
    recorder.phase('ALTER TABLE');
    await pool.query(`ALTER TABLE ${ACCOUNTS} ALTER COLUMN abalance TYPE bigint`);
  };
}

export function basculeAlter(databaseUrl: string, backfill: Partial<BackfillOptions>, name: string, phases: 'start' | 'both'): Migrate {
  return async (recorder) => {
    const engine = new SchemaEngine({
      databaseUrl,
      schema: 'public',
      backfill,
      onProgress: (progress) => recorder.batch(progress.batch, progress.done),
      onAction: (action) => recorder.actions.push({ atMs: Date.now(), ms: action.durationMs, description: action.description }),
    });
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
      recorder.phase('start: DDL');
      await engine.start(migration);
      if (phases === 'both') {
        recorder.phase('expanded: triggers only');
        await sleep(EXPANDED_HOLD_MS);
        recorder.phase('complete');
        await engine.complete();
      }
    } finally {
      await engine.close();
    }
  };
}
