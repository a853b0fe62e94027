import { renameTable, RenameTableBody } from './rename-table';
import { contextFor, tableModel } from './test-support/table-model';

const withIndex = tableModel('people', undefined, { indexes: [{ name: 'people_idx', columns: ['id'], unique: false, definition: '', constraint: null, valid: true }] });

describe('rename_table', () => {
  const op = RenameTableBody.parse({ from: 'users', to: 'accounts' });

  it('renames only in the model at start and physically at complete', () => {
    const ctx = contextFor([tableModel('users')]);
    const plan = renameTable.start(op, ctx);
    expect(plan.actions).toEqual([]);
    expect(plan.model.tables.map((t) => [t.name, t.physicalName])).toEqual([['accounts', 'users']]);
    expect(renameTable.complete(op, ctx)).toEqual([{ kind: 'sql', sql: 'ALTER TABLE "public"."users" RENAME TO "accounts"', description: 'rename table users to accounts' }]);
    expect(renameTable.rollback(op, ctx)).toEqual([]);
  });

  it.each([
    [[tableModel('other')], 'operations[0].rename_table.from', 'table_not_found'],
    [[tableModel('users'), tableModel('accounts')], 'operations[0].rename_table.to', 'table_exists'],
    [[tableModel('users'), tableModel('gone', undefined, { hidden: true, name: 'accounts' })], 'operations[0].rename_table.to', 'table_exists'],
    [[tableModel('users'), tableModel('x', undefined, { physicalName: 'accounts' })], 'operations[0].rename_table.to', 'table_exists'],
  ])('reports a clash in %j at %s', (tables, path, code) => {
    expect(renameTable.validate(op, contextFor(tables))).toEqual([expect.objectContaining({ path, code })]);
  });

  it('refuses a name an index already uses (tables and indexes share a namespace)', () => {
    const issues = renameTable.validate(RenameTableBody.parse({ from: 'users', to: 'people_idx' }), contextFor([tableModel('users'), withIndex]));
    expect(issues).toEqual([expect.objectContaining({ code: 'relation_exists' })]);
  });
});
