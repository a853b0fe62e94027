import { dropIndex, DropIndexBody } from './drop-index';
import { contextFor, tableModel } from './test-support/table-model';

const table = tableModel('docs', undefined, {
  indexes: [
    { name: 'docs_title_idx', columns: ['title'], unique: false, definition: '', constraint: null, valid: true },
    { name: 'docs_pkey', columns: ['id'], unique: true, definition: '', constraint: 'docs_pkey', valid: true },
  ],
});

describe('drop_index', () => {
  it('does nothing at start and drops the index concurrently at complete', () => {
    const op = DropIndexBody.parse({ name: 'docs_title_idx' });
    const ctx = contextFor([table]);
    expect(dropIndex.validate(op, ctx)).toEqual([]);
    expect(dropIndex.start(op, ctx)).toEqual({ actions: [], model: ctx.model });
    expect(dropIndex.complete(op, ctx)).toEqual([
      { kind: 'sql', sql: 'DROP INDEX CONCURRENTLY IF EXISTS "public"."docs_title_idx"', description: 'drop index docs_title_idx', transactional: false },
    ]);
    expect(dropIndex.rollback(op, ctx)).toEqual([]);
  });

  it('reports a missing index and one that backs a constraint', () => {
    expect(dropIndex.validate(DropIndexBody.parse({ name: 'nope' }), contextFor([table]))).toEqual([expect.objectContaining({ code: 'index_not_found', path: 'operations[0].drop_index.name' })]);
    expect(dropIndex.validate(DropIndexBody.parse({ name: 'docs_pkey' }), contextFor([table]))).toEqual([expect.objectContaining({ code: 'index_backs_constraint' })]);
  });
});
