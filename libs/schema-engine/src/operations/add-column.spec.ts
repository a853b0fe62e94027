import { loadSqlParser } from '../format/sql-parser';
import { findColumn, findTable } from '../model/schema-model';
import { addColumn } from './add-column';
import type { Action } from './operation';
import { contextFixture, reviewsModel } from './shared/test-support/model-fixture';

const sqlOf = (actions: Action[]) => actions.map((action) => (action.kind === 'sql' ? action.sql : `BACKFILL ${action.table}`));
const body = (raw: unknown) => addColumn.schema.parse(raw);

beforeAll(() => loadSqlParser());

describe('add_column planning', () => {
  it('adds NOT NULL as a NOT VALID check after the trigger, unique as a concurrent index, and backfills with up', () => {
    const op = body({ table: 'reviews', column: { name: 'score', type: 'integer', unique: true }, up: 'length(title)' });
    const { actions, model } = addColumn.start(op, contextFixture(reviewsModel()));
    expect(sqlOf(actions).filter((sql) => !sql.startsWith('CREATE OR REPLACE'))).toEqual([
      'ALTER TABLE "public"."reviews" ADD COLUMN "score" integer',
      'ALTER TABLE "public"."reviews" ADD CONSTRAINT "_bascule_nn_score" CHECK ("score" IS NOT NULL) NOT VALID',
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "reviews_score_key" ON "public"."reviews" ("score")',
      'BACKFILL reviews',
    ]);
    expect(sqlOf(actions)[1]).toMatch(/^CREATE OR REPLACE FUNCTION/);
    expect(findColumn(findTable(model, 'reviews')!, 'score')).toMatchObject({ physicalName: 'score', nullable: false });
    const complete = sqlOf(addColumn.complete(op, contextFixture(reviewsModel())));
    // The validation scans the table on its own; everything after it is one atomic swap.
    expect(complete).toHaveLength(2);
    expect(complete[0]).toBe('ALTER TABLE "public"."reviews" VALIDATE CONSTRAINT "_bascule_nn_score"');
    const swap = complete[1].split(';\n');
    expect(swap.slice(0, 2)).toEqual(['LOCK TABLE "public"."reviews" IN ACCESS EXCLUSIVE MODE', 'DROP TRIGGER IF EXISTS "_bascule_up_000_reviews_m1" ON "public"."reviews"']);
    expect(swap.slice(3, 5)).toEqual([
      'ALTER TABLE "public"."reviews" ALTER COLUMN "score" SET NOT NULL',
      'ALTER TABLE "public"."reviews" DROP CONSTRAINT IF EXISTS "_bascule_nn_score"',
    ]);
    expect(swap[5]).toContain(`EXECUTE 'ALTER TABLE "public"."reviews" ADD CONSTRAINT "reviews_score_key" UNIQUE USING INDEX "reviews_score_key"'`);
    expect(sqlOf(addColumn.rollback(op, contextFixture(reviewsModel()))).slice(2)).toEqual([
      'DROP INDEX CONCURRENTLY IF EXISTS "public"."reviews_score_key"',
      'ALTER TABLE "public"."reviews" DROP COLUMN IF EXISTS "score"',
    ]);
  });

  it('puts a literal default into ADD COLUMN, but a volatile one only for new rows, backfilling existing ones', () => {
    const literal = addColumn.start(body({ table: 'reviews', column: { name: 'n', type: 'integer', default: '0' } }), contextFixture(reviewsModel()));
    expect(sqlOf(literal.actions)).toEqual([
      'ALTER TABLE "public"."reviews" ADD COLUMN "n" integer DEFAULT 0',
      'ALTER TABLE "public"."reviews" ADD CONSTRAINT "_bascule_nn_n" CHECK ("n" IS NOT NULL) NOT VALID',
    ]);
    const volatile = addColumn.start(body({ table: 'reviews', column: { name: 'at', type: 'timestamptz', default: 'now()', nullable: true } }), contextFixture(reviewsModel()));
    const sql = sqlOf(volatile.actions);
    expect(sql[0]).toBe('ALTER TABLE "public"."reviews" ADD COLUMN "at" timestamptz');
    expect(sql).toContain('ALTER TABLE "public"."reviews" ALTER COLUMN "at" SET DEFAULT now()');
    expect(sql.find((text) => text.startsWith('CREATE OR REPLACE FUNCTION'))).toMatch(/NEW\."at" := \(\nnow\(\)\n/);
    expect(sql.at(-1)).toBe('BACKFILL reviews');
  });

  it('validates: NOT NULL needs a default or up, names must be free, the column new', () => {
    const ctx = contextFixture(reviewsModel(), 1);
    expect(addColumn.validate(body({ table: 'reviews', column: { name: 'x', type: 'text' } }), ctx)).toEqual([
      expect.objectContaining({ path: 'operations[1].add_column.up', code: 'field_required' }),
    ]);
    expect(addColumn.validate(body({ table: 'reviews', column: { name: 'rating', type: 'text', nullable: true } }), ctx)).toEqual([
      expect.objectContaining({ path: 'operations[1].add_column.column.name', code: 'column_exists' }),
    ]);
    expect(addColumn.validate(body({ table: 'reviews', column: { name: 'x', type: 'text', nullable: true, check: { name: 'rating_short', constraint: 'x > 1' } } }), ctx)).toEqual([
      expect.objectContaining({ path: 'operations[1].add_column.column.check.name', code: 'constraint_exists' }),
    ]);
    expect(addColumn.validate(body({ table: 'reviews', column: { name: 'x', type: 'int', pk: true, default: '1' } }), ctx)).toEqual([
      expect.objectContaining({ path: 'operations[1].add_column.column.pk', code: 'primary_key_exists' }),
    ]);
  });
});
