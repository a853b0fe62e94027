import { loadSqlParser } from '../format/sql-parser';
import { findColumn, findTable } from '../model/schema-model';
import { alterColumn } from './alter-column';
import type { Action, SqlAction } from './operation';
import { columnFixture, contextFixture, reviewsModel, tableFixture } from './shared/test-support/model-fixture';

const sqlOf = (actions: Action[]) => actions.map((action) => (action.kind === 'sql' ? action.sql : `BACKFILL ${action.table}`));
const body = (raw: unknown) => alterColumn.schema.parse(raw);

beforeAll(() => loadSqlParser());

describe('alter_column planning', () => {
  const typeChange = body({ table: 'reviews', column: 'rating', type: 'integer', nullable: false, up: 'COALESCE(CAST(rating AS integer), 0)', down: 'CAST(rating AS text)' });

  it('points the new version’s column at the duplicate, with its new shape', () => {
    const { model } = alterColumn.start(typeChange, contextFixture(reviewsModel()));
    const rating = findColumn(findTable(model, 'reviews')!, 'rating')!;
    expect(rating).toMatchObject({ name: 'rating', physicalName: '_bascule_new_rating', type: 'integer', nullable: false });
  });

  it('starts with the column, then the trigger, then what can reject writes, then concurrent indexes, then the backfill', () => {
    const { actions } = alterColumn.start(typeChange, contextFixture(reviewsModel()));
    const sql = sqlOf(actions);
    const at = (pattern: RegExp) => sql.findIndex((text) => pattern.test(text));
    expect(sql[0]).toBe('ALTER TABLE "public"."reviews" ADD COLUMN "_bascule_new_rating" integer');
    expect(at(/CREATE OR REPLACE TRIGGER/)).toBeLessThan(at(/_bascule_nn__bascule_new_rating/));
    expect(at(/_bascule_nn__bascule_new_rating/)).toBeLessThan(at(/CREATE INDEX CONCURRENTLY/));
    expect(sql.at(-1)).toBe('BACKFILL reviews');
    // The copied check may not fit an integer column: it is tried, not required (pgroll ignores the failure too).
    expect(sql.find((text) => text.includes('_bascule_dup_rating_short'))).toMatch(/^DO \$bascule\$[\s\S]*EXCEPTION WHEN SQLSTATE '42883'/);
    const index = actions.find((action): action is SqlAction => action.kind === 'sql' && action.sql.includes('reviews_rating_idx'))!;
    expect(index.transactional).toBe(false);
    expect(index.sql).toBe(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS "_bascule_dup_reviews_rating_idx" ON public.reviews USING btree ("_bascule_new_rating")',
    );
  });

  it('completes by validating first, then swapping the duplicate in with one atomic action', () => {
    const sql = sqlOf(alterColumn.complete(typeChange, contextFixture(reviewsModel())));
    expect(sql[0]).toBe('ALTER TABLE "public"."reviews" VALIDATE CONSTRAINT "_bascule_nn__bascule_new_rating"');
    const swap = sql[sql.length - 1];
    expect(sql.filter((text) => text.includes('VALIDATE'))).not.toContain(swap);
    expect(swap.split('\n').slice(0, 5)).toEqual([
      'LOCK TABLE "public"."reviews" IN ACCESS EXCLUSIVE MODE;',
      'DROP TRIGGER IF EXISTS "_bascule_up_000_reviews_m1" ON "public"."reviews";',
      'DROP FUNCTION IF EXISTS "public"."_bascule_up_000_reviews_m1"();',
      'DROP TRIGGER IF EXISTS "_bascule_down_999_reviews_m1" ON "public"."reviews";',
      'DROP FUNCTION IF EXISTS "public"."_bascule_down_999_reviews_m1"();',
    ]);
    const order = [
      'DROP COLUMN IF EXISTS "rating"',
      'RENAME COLUMN "_bascule_new_rating" TO "rating"',
      'ALTER COLUMN "rating" SET NOT NULL',
      'DROP CONSTRAINT IF EXISTS "_bascule_nn__bascule_new_rating"',
      'RENAME TO "reviews_rating_idx"',
    ].map((fragment) => swap.indexOf(fragment));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('rolls back by dropping trigger, copied indexes concurrently, and the duplicate', () => {
    expect(sqlOf(alterColumn.rollback(typeChange, contextFixture(reviewsModel())))).toEqual([
      'DROP TRIGGER IF EXISTS "_bascule_up_000_reviews_m1" ON "public"."reviews"',
      'DROP FUNCTION IF EXISTS "public"."_bascule_up_000_reviews_m1"()',
      'DROP TRIGGER IF EXISTS "_bascule_down_999_reviews_m1" ON "public"."reviews"',
      'DROP FUNCTION IF EXISTS "public"."_bascule_down_999_reviews_m1"()',
      'DROP INDEX CONCURRENTLY IF EXISTS "public"."_bascule_dup_reviews_rating_idx"',
      'ALTER TABLE "public"."reviews" DROP COLUMN IF EXISTS "_bascule_new_rating"',
    ]);
  });

  it('applies a comment-only change in place and restores the old comment on rollback', () => {
    const op = body({ table: 'reviews', column: 'rating', comment: "it's new" });
    const ctx = contextFixture(reviewsModel());
    expect(sqlOf(alterColumn.start(op, ctx).actions)).toEqual([`COMMENT ON COLUMN "public"."reviews"."rating" IS 'it''s new'`]);
    expect(alterColumn.complete(op, ctx)).toEqual([]);
    expect(sqlOf(alterColumn.rollback(op, ctx))).toEqual([`COMMENT ON COLUMN "public"."reviews"."rating" IS NULL`]);
  });

  it('defaults up and down to the column itself when the data does not change', () => {
    const start = alterColumn.start(body({ table: 'reviews', column: 'rating', default: "'3'" }), contextFixture(reviewsModel()));
    const functions = sqlOf(start.actions).filter((text) => text.startsWith('CREATE OR REPLACE FUNCTION')).join('\n');
    expect(functions).toMatch(/NEW\."_bascule_new_rating" := \(\n"rating"\n/);
    expect(functions).toMatch(/NEW\."rating" := \(\n"rating"\n/);
  });

  it('validates with paths into the operation', () => {
    const ctx = contextFixture(reviewsModel(), 2);
    expect(alterColumn.validate(body({ table: 'reviews', column: 'rating', type: 'integer' }), ctx)).toEqual([
      expect.objectContaining({ path: 'operations[2].alter_column.up', code: 'field_required' }),
      expect.objectContaining({ path: 'operations[2].alter_column.down', code: 'field_required' }),
    ]);
    expect(alterColumn.validate(body({ table: 'reviews', column: 'rating', type: 'integer', up: 'rating +', down: 'x' }), ctx)).toEqual([
      expect.objectContaining({ path: 'operations[2].alter_column.up', code: 'invalid_expression' }),
    ]);
    expect(alterColumn.validate(body({ table: 'reviews', column: 'rating', type: 'integer integer', up: 'rating', down: 'rating' }), ctx)).toEqual([
      expect.objectContaining({ path: 'operations[2].alter_column.type', code: 'invalid_type' }),
    ]);
    expect(alterColumn.validate(body({ table: 'reviews', column: 'ghost', nullable: true }), ctx)).toEqual([
      expect.objectContaining({ path: 'operations[2].alter_column.column', code: 'column_not_found' }),
    ]);
  });

  it('refuses duplicating identity and generated columns, and columns another table references', () => {
    const model = reviewsModel();
    const [reviews] = model.tables;
    reviews.columns[0] = { ...reviews.columns[0], identity: 'd' };
    reviews.columns.push(columnFixture('stars', { type: 'integer', generated: 'length(rating)' }));
    model.tables.push(
      tableFixture('likes', [columnFixture('review', { type: 'integer' })], {
        constraints: [
          { name: 'likes_review_fkey', type: 'foreign_key', columns: ['review'], definition: 'FOREIGN KEY (review) REFERENCES reviews(title)', validated: true, references: { schema: 'public', table: 'reviews', columns: ['title'] } },
        ],
      }),
    );
    const issues = (raw: unknown) => alterColumn.validate(body(raw), contextFixture(model)).map((found) => found.code);
    expect(issues({ table: 'reviews', column: 'id', type: 'bigint', up: 'id', down: 'id' })).toEqual(['unsupported_column']);
    expect(issues({ table: 'reviews', column: 'stars', nullable: false, up: 'stars' })).toEqual(['unsupported_column']);
    expect(issues({ table: 'reviews', column: 'title', type: 'varchar(20)', up: 'title', down: 'title' })).toEqual(['column_referenced']);
    // A comment needs no duplicate, so it is fine on any column.
    expect(issues({ table: 'reviews', column: 'id', comment: 'key' })).toEqual([]);
  });

  it('leaves generated columns out of the trigger variables', () => {
    const model = reviewsModel();
    model.tables[0].columns.push(columnFixture('stars', { type: 'integer', generated: 'length(rating)' }));
    const fn = sqlOf(alterColumn.start(body({ table: 'reviews', column: 'title', default: "'t'" }), contextFixture(model)).actions).find((text) =>
      text.startsWith('CREATE OR REPLACE FUNCTION'),
    );
    expect(fn).toContain('"rating" "public"."reviews"."rating"%TYPE');
    expect(fn).not.toContain('"stars"');
  });

  it('refuses unknown fields and hostile identifiers at parse time', () => {
    expect(alterColumn.schema.safeParse({ table: 'reviews', column: 'rating', nullable: true, rename: 'x' }).success).toBe(false);
    expect(alterColumn.schema.safeParse({ table: 'reviews"; DROP TABLE x; --', column: 'rating', nullable: true }).success).toBe(false);
    expect(alterColumn.schema.safeParse({ table: 'reviews', column: 'rating', nullable: true, up: 'rating; DROP TABLE reviews' }).success).toBe(false);
  });
});
