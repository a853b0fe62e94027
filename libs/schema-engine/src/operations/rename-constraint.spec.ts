import { renameConstraint, RenameConstraintBody } from './rename-constraint';
import { contextFor, tableModel } from './test-support/table-model';

const orders = tableModel('orders', undefined, {
  constraints: [
    { name: 'price_check', type: 'check', columns: ['price'], definition: 'CHECK (price > 0)', validated: true },
    { name: 'orders_code_key', type: 'unique', columns: ['code'], definition: 'UNIQUE (code)', validated: true },
  ],
  indexes: [{ name: 'orders_code_key', columns: ['code'], unique: true, definition: '', constraint: 'orders_code_key', valid: true }],
});
const other = tableModel('other', undefined, { indexes: [{ name: 'other_idx', columns: ['id'], unique: false, definition: '', constraint: null, valid: true }] });

describe('rename_constraint', () => {
  it('renames at complete only', () => {
    const op = RenameConstraintBody.parse({ table: 'orders', from: 'price_check', to: 'price_positive' });
    const ctx = contextFor([orders]);
    expect(renameConstraint.validate(op, ctx)).toEqual([]);
    expect(renameConstraint.start(op, ctx).actions).toEqual([]);
    expect(renameConstraint.complete(op, ctx)).toEqual([
      { kind: 'sql', sql: 'ALTER TABLE "public"."orders" RENAME CONSTRAINT "price_check" TO "price_positive"', description: 'rename constraint price_check on orders to price_positive' },
    ]);
    expect(renameConstraint.rollback(op, ctx)).toEqual([]);
  });

  it.each([
    [{ table: 'nope', from: 'a', to: 'b' }, 'table_not_found'],
    [{ table: 'orders', from: 'nope', to: 'b' }, 'constraint_not_found'],
    [{ table: 'orders', from: 'price_check', to: 'orders_code_key' }, 'constraint_exists'],
    [{ table: 'orders', from: 'orders_code_key', to: 'other_idx' }, 'relation_exists'],
  ])('reports %j (%s)', (input, code) => {
    expect(renameConstraint.validate(RenameConstraintBody.parse(input), contextFor([orders, other]))).toEqual([expect.objectContaining({ code })]);
  });

  it('lets a check constraint take a name an index uses (checks have no index)', () => {
    expect(renameConstraint.validate(RenameConstraintBody.parse({ table: 'orders', from: 'price_check', to: 'other_idx' }), contextFor([orders, other]))).toEqual([]);
  });
});
