import { loadSqlParser } from '../format/sql-parser';
import { findTable } from '../model/schema-model';
import { createConstraint } from './create-constraint';
import { dropMulticolumnConstraint } from './drop-multicolumn-constraint';
import { dropConstraint } from './drop-constraint';
import type { Action } from './operation';
import { contextFixture, reviewsModel } from './shared/test-support/model-fixture';

const sqlOf = (actions: Action[]) => actions.map((action) => (action.kind === 'sql' ? action.sql : `BACKFILL ${action.table}`));

beforeAll(() => loadSqlParser());

describe('create_constraint planning', () => {
  const op = createConstraint.schema.parse({
    table: 'reviews',
    name: 'reviews_title_rating_key',
    type: 'unique',
    columns: ['title', 'rating'],
    index_parameters: { include_columns: ['id'] },
    up: { title: 'title', rating: "COALESCE(rating, '')" },
    down: { title: 'title', rating: 'rating' },
  });

  it('duplicates every column and builds the unique index on the duplicates concurrently', () => {
    const { actions, model } = createConstraint.start(op, contextFixture(reviewsModel()));
    const sql = sqlOf(actions);
    expect(sql.slice(0, 2)).toEqual([
      'ALTER TABLE "public"."reviews" ADD COLUMN "_bascule_new_title" text',
      'ALTER TABLE "public"."reviews" ADD COLUMN "_bascule_new_rating" text',
    ]);
    expect(sql).toContain(
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "reviews_title_rating_key" ON "public"."reviews" ("_bascule_new_title", "_bascule_new_rating") INCLUDE ("id")',
    );
    expect(sql.at(-1)).toBe('BACKFILL reviews');
    expect(findTable(model, 'reviews')!.constraints.find((constraint) => constraint.name === 'reviews_title_rating_key')).toMatchObject({
      type: 'unique',
      columns: ['_bascule_new_title', '_bascule_new_rating'],
    });
  });

  it('attaches the index as the constraint only after the duplicates took the old names', () => {
    const sql = sqlOf(createConstraint.complete(op, contextFixture(reviewsModel())));
    const renamed = sql.findIndex((text) => text.includes('RENAME COLUMN "_bascule_new_rating" TO "rating"'));
    expect(renamed).toBeGreaterThan(0);
    // Guarded by a DO block so that a complete resumed after a crash can run it again.
    expect(sql.at(-1)).toContain(
      `EXECUTE 'ALTER TABLE "public"."reviews" ADD CONSTRAINT "reviews_title_rating_key" UNIQUE USING INDEX "reviews_title_rating_key"'`,
    );
    expect(sql.at(-1)).toContain(`IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint`);
  });

  it('adds a check NOT VALID on the duplicates, in terms of physical names', () => {
    const check = createConstraint.schema.parse({
      table: 'reviews',
      name: 'rating_digits',
      type: 'check',
      columns: ['rating'],
      check: "rating ~ '^[0-9]+$' AND title <> rating",
      up: { rating: 'rating' },
      down: { rating: 'rating' },
    });
    expect(sqlOf(createConstraint.start(check, contextFixture(reviewsModel())).actions)).toContain(
      `ALTER TABLE "public"."reviews" ADD CONSTRAINT "rating_digits" CHECK ("_bascule_new_rating" ~ '^[0-9]+$' AND "title" <> "_bascule_new_rating") NOT VALID`,
    );
  });
});

describe('drop_multicolumn_constraint / drop_constraint planning', () => {
  it('duplicates the constraint’s columns without it; the rest of their constraints follow', () => {
    const op = dropConstraint.schema.parse({ table: 'reviews', name: 'rating_short', up: '"rating"', down: 'left(rating, 9)' });
    const sql = sqlOf(dropConstraint.start(op, contextFixture(reviewsModel())).actions);
    expect(sql.some((text) => text.includes('_bascule_dup_rating_short'))).toBe(false);
    expect(sql).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "_bascule_dup_reviews_rating_idx" ON public.reviews USING btree ("_bascule_new_rating")');
    const multi = dropMulticolumnConstraint.schema.parse({ table: 'reviews', name: 'rating_short', down: { rating: 'left(rating, 9)' } });
    expect(sqlOf(dropMulticolumnConstraint.start(multi, contextFixture(reviewsModel())).actions)).toEqual(sql);
  });

  it('refuses the single-column form for a constraint over several columns, and an unknown constraint', () => {
    const model = reviewsModel();
    model.tables[0].constraints.push({ name: 'pair', type: 'unique', columns: ['title', 'rating'], definition: 'UNIQUE (title, rating)', validated: true });
    expect(dropConstraint.validate(dropConstraint.schema.parse({ table: 'reviews', name: 'pair', up: 'x', down: 'x' }), contextFixture(model))).toEqual([
      expect.objectContaining({ path: 'operations[0].drop_constraint.name', code: 'multicolumn_constraint' }),
    ]);
    expect(dropMulticolumnConstraint.validate(dropMulticolumnConstraint.schema.parse({ table: 'reviews', name: 'pair', down: { title: 'title' } }), contextFixture(model))).toEqual([
      expect.objectContaining({ path: 'operations[0].drop_multicolumn_constraint.down.rating', code: 'field_required' }),
    ]);
  });
});
