import { loadSqlParser } from '../format/sql-parser';
import { findTable } from '../model/schema-model';
import { dropColumn } from './drop-column';
import type { Action } from './operation';
import { columnFixture, contextFixture, reviewsModel, tableFixture } from './shared/test-support/model-fixture';

const sqlOf = (actions: Action[]) => actions.map((action) => (action.kind === 'sql' ? action.sql : `BACKFILL ${action.table}`));

beforeAll(() => loadSqlParser());

describe('drop_column planning', () => {
  it('hides the column; with down, a trigger fills it for the new version from the columns it still sees', () => {
    const op = dropColumn.schema.parse({ table: 'reviews', column: 'rating', down: "'n/a'" });
    const { actions, model } = dropColumn.start(op, contextFixture(reviewsModel()));
    expect(findTable(model, 'reviews')!.columns.find((column) => column.name === 'rating')).toMatchObject({ hidden: true });
    const fn = sqlOf(actions)[0];
    expect(fn).toMatch(/NEW\."rating" := \(\n'n\/a'\n/);
    expect(fn).not.toMatch(/"rating" "public"\."reviews"\."rating"%TYPE/);
    // Trigger and column go in one transaction: no new-version write lands in between.
    expect(sqlOf(dropColumn.complete(op, contextFixture(reviewsModel())))).toEqual([
      [
        'LOCK TABLE "public"."reviews" IN ACCESS EXCLUSIVE MODE;',
        'DROP TRIGGER IF EXISTS "_bascule_down_999_reviews_m1" ON "public"."reviews";',
        'DROP FUNCTION IF EXISTS "public"."_bascule_down_999_reviews_m1"();',
        'ALTER TABLE "public"."reviews" DROP COLUMN IF EXISTS "rating";',
      ].join('\n'),
    ]);
    expect(sqlOf(dropColumn.rollback(op, contextFixture(reviewsModel())))).toHaveLength(2);
  });

  it('refuses to drop a column another table references', () => {
    const model = reviewsModel();
    model.tables.push(
      tableFixture('likes', [columnFixture('review', { type: 'integer' })], {
        constraints: [{ name: 'likes_review_fkey', type: 'foreign_key', columns: ['review'], definition: '', validated: true, references: { schema: 'public', table: 'reviews', columns: ['id'] } }],
      }),
    );
    expect(dropColumn.validate(dropColumn.schema.parse({ table: 'reviews', column: 'id' }), contextFixture(model))).toEqual([
      expect.objectContaining({ path: 'operations[0].drop_column.column', code: 'column_referenced' }),
    ]);
  });

  it('needs no trigger without down, and changes nothing at rollback', () => {
    const op = dropColumn.schema.parse({ table: 'reviews', column: 'rating' });
    expect(dropColumn.start(op, contextFixture(reviewsModel())).actions).toEqual([]);
    expect(dropColumn.rollback(op, contextFixture(reviewsModel()))).toEqual([]);
  });
});
