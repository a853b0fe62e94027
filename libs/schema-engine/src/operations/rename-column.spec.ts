import { renameColumn, RenameColumnBody } from './rename-column';
import { columnModel, contextFor, tableModel } from './test-support/table-model';

const reviews = tableModel('reviews', [columnModel('id', 'integer', { nullable: false }), columnModel('title'), columnModel('stars', 'integer')]);

describe('rename_column', () => {
  const op = RenameColumnBody.parse({ table: 'reviews', from: 'title', to: 'headline' });

  it('renames only in the model at start: the new view shows the new name over the same physical column', () => {
    const plan = renameColumn.start(op, contextFor([reviews]));
    expect(plan.actions).toEqual([]);
    expect(plan.model.tables[0].columns.map((c) => [c.name, c.physicalName])).toEqual([
      ['id', 'id'],
      ['headline', 'title'],
      ['stars', 'stars'],
    ]);
  });

  it('renames the physical column at complete and has nothing to roll back', () => {
    const ctx = contextFor([reviews]);
    expect(renameColumn.complete(op, ctx)).toEqual([
      { kind: 'sql', sql: 'ALTER TABLE "public"."reviews" RENAME COLUMN "title" TO "headline"', description: 'rename column reviews.title to headline' },
    ]);
    expect(renameColumn.rollback(op, ctx)).toEqual([]);
  });

  it.each([
    [{ table: 'nope', from: 'title', to: 'x' }, 'operations[1].rename_column.table', 'table_not_found'],
    [{ table: 'reviews', from: 'nope', to: 'x' }, 'operations[1].rename_column.from', 'column_not_found'],
    [{ table: 'reviews', from: 'title', to: 'stars' }, 'operations[1].rename_column.to', 'column_exists'],
    [{ table: 'reviews', from: 'title', to: 'title' }, 'operations[1].rename_column.to', 'column_exists'],
  ])('reports %j at %s', (input, path, code) => {
    expect(renameColumn.validate(RenameColumnBody.parse(input), contextFor([reviews], 1))).toEqual([expect.objectContaining({ path, code })]);
  });

  it('refuses a new name still held physically by a column renamed earlier in the migration', () => {
    const renamed = tableModel('reviews', [columnModel('score', 'integer', { physicalName: 'stars' }), columnModel('title')]);
    const issues = renameColumn.validate(RenameColumnBody.parse({ table: 'reviews', from: 'title', to: 'stars' }), contextFor([renamed]));
    expect(issues).toEqual([expect.objectContaining({ code: 'column_exists' })]);
  });

  it.each([{ table: 'reviews', from: 'title', to: 'x"; DROP TABLE reviews; --' }, { table: 'reviews', from: 'title', to: 'y'.repeat(64) }, { table: 'reviews', from: 'title' }])(
    'refuses %j before anything runs',
    (input) => expect(RenameColumnBody.safeParse(input).success).toBe(false),
  );
});
