import { dropTable, DropTableBody } from './drop-table';
import { contextFor, tableModel } from './test-support/table-model';

describe('drop_table', () => {
  const op = DropTableBody.parse({ name: 'legacy' });

  it('hides the table from the new version at start, drops it at complete, nothing to roll back', () => {
    const ctx = contextFor([tableModel('legacy'), tableModel('kept')]);
    const plan = dropTable.start(op, ctx);
    expect(plan.actions).toEqual([]);
    expect(plan.model.tables.map((t) => [t.name, t.hidden ?? false])).toEqual([
      ['legacy', true],
      ['kept', false],
    ]);
    expect(dropTable.complete(op, ctx)).toEqual([{ kind: 'sql', sql: 'DROP TABLE IF EXISTS "public"."legacy"', description: 'drop table legacy' }]);
    expect(dropTable.rollback(op, ctx)).toEqual([]);
  });

  it('reports a missing table and a table another foreign key still references', () => {
    expect(dropTable.validate(op, contextFor([]))).toEqual([expect.objectContaining({ path: 'operations[0].drop_table.name', code: 'table_not_found' })]);
    const child = tableModel('child', undefined, {
      constraints: [{ name: 'child_legacy_fk', type: 'foreign_key', columns: ['id'], definition: '', validated: true, references: { schema: 'public', table: 'legacy', columns: ['id'] } }],
    });
    expect(dropTable.validate(op, contextFor([tableModel('legacy'), child]))).toEqual([expect.objectContaining({ code: 'table_referenced' })]);
  });

  it('lets a referenced table go when the referencing table is dropped earlier in the same migration', () => {
    const child = tableModel('child', undefined, {
      hidden: true,
      constraints: [{ name: 'child_legacy_fk', type: 'foreign_key', columns: ['id'], definition: '', validated: true, references: { schema: 'public', table: 'legacy', columns: ['id'] } }],
    });
    expect(dropTable.validate(op, contextFor([tableModel('legacy'), child]))).toEqual([]);
  });

  it('refuses a table already dropped earlier in the migration', () => {
    const hidden = dropTable.start(op, contextFor([tableModel('legacy')])).model;
    expect(dropTable.validate(op, { ...contextFor([]), model: hidden })).toEqual([expect.objectContaining({ code: 'table_not_found' })]);
  });
});
