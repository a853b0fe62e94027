import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { defineOperation } from './operation';
import { dropIndexConcurrentlySql } from './create-index-sql';

/** pgroll `OpDropIndex`. */
export const DropIndexBody = z.strictObject({ name: Identifier });
export type DropIndexBody = z.infer<typeof DropIndexBody>;

/**
 * drop_index: the old version may still rely on the index for its queries, so nothing happens at
 * start; complete drops it concurrently (no ACCESS EXCLUSIVE lock); rollback has nothing to undo.
 */
export const dropIndex = defineOperation({
  kind: 'drop_index',
  schema: DropIndexBody,
  validate(op, ctx) {
    const path = `operations[${ctx.index}].drop_index.name`;
    const table = ctx.model.tables.find((candidate) => candidate.indexes.some((index) => index.name === op.name));
    const index = table?.indexes.find((candidate) => candidate.name === op.name);
    if (!table || !index) return [{ path, code: 'index_not_found', message: `index "${op.name}" does not exist in schema "${ctx.schema}"` }];
    if (index.constraint) {
      return [{
        path,
        code: 'index_backs_constraint',
        message: `index "${op.name}" backs constraint "${index.constraint}" of table "${table.name}"; drop the constraint instead`,
      }];
    }
    return [];
  },
  start: (_op, ctx) => ({ actions: [], model: ctx.model }),
  complete: (op, ctx) => [{ kind: 'sql', sql: dropIndexConcurrentlySql(ctx.schema, op.name), description: `drop index ${op.name}`, transactional: false }],
  rollback: () => [],
});
