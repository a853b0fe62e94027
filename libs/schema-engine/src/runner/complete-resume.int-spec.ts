import { Client } from 'pg';
import type { TestDatabase } from '@bascule/testing';
import { LockTimeoutError, PhaseConflictError } from '../errors';
import { applyMigration, createCycleDatabase, migrationOf, sqlOn, testEngine } from '../testing';

describe('a complete interrupted part-way', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_complete_resume');
    await applyMigration(
      db.url,
      migrationOf('base', [{ create_table: { name: 'reviews', columns: [{ name: 'id', type: 'serial', pk: true }, { name: 'rating', type: 'text', nullable: true }] } }]),
    );
    await sqlOn(db.url, `INSERT INTO reviews (rating) SELECT (g % 5)::text FROM generate_series(1, 100) g`);
  });
  afterAll(() => db.drop());

  it('stays "completing", refuses rollback, and resumes where it stopped when run again', async () => {
    const engine = testEngine(db.url, { lockTimeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    try {
      await engine.start(
        migrationOf('rating_int', [
          { alter_column: { table: 'reviews', column: 'rating', type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } },
        ]),
      );
      // A reader's open transaction: dropping the previous version's views passes, the first
      // statement on the table itself (dropping the sync trigger) cannot get its lock.
      const reader = new Client({ connectionString: db.url });
      await reader.connect();
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM public.reviews');
      const error = await engine.complete().catch((e: unknown) => e);
      await reader.query('ROLLBACK');
      await reader.end();
      if (!(error instanceof LockTimeoutError)) throw error;
      expect(await sqlOn(db.url, `SELECT status, phase_progress FROM bascule_schema.migrations WHERE name = 'rating_int'`)).toEqual([
        { status: 'completing', phase_progress: 1 },
      ]);
      expect(await sqlOn(db.url, `SELECT 1 FROM pg_namespace WHERE nspname = 'public_base'`)).toEqual([]);
      await expect(engine.rollback()).rejects.toBeInstanceOf(PhaseConflictError);

      await engine.complete();
      expect(await sqlOn(db.url, `SELECT status FROM bascule_schema.migrations WHERE name = 'rating_int'`)).toEqual([{ status: 'completed' }]);
      expect(await sqlOn(db.url, `SELECT count(*)::int AS n, sum(rating)::int AS s FROM reviews`)).toEqual([{ n: 100, s: 200 }]);
    } finally {
      await engine.close();
    }
  });
});
