import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { withTable } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import { isIssue, lookupTable } from './model-lookup';
import { defineOperation } from './operation';
import { relationNameTaken } from './relation-names';

/** pgroll `OpRenameTable`. */
export const RenameTableBody = z.strictObject({ from: Identifier, to: Identifier });
export type RenameTableBody = z.infer<typeof RenameTableBody>;

/**
 * rename_table: start only renames the table in the model, so the new version schema's view gets
 * the new name over the same physical table; complete renames the physical table; rollback has
 * nothing to undo.
 */
export const renameTable = defineOperation({
  kind: 'rename_table',
  schema: RenameTableBody,
  validate(op, ctx) {
    const path = `operations[${ctx.index}].rename_table`;
    const table = lookupTable(ctx.model, op.from, `${path}.from`);
    if (isIssue(table)) return [table];
    const taken = op.to === op.from ? 'table' : relationNameTaken(ctx.model, op.to);
    if (taken) {
      return [{ path: `${path}.to`, code: taken === 'table' ? 'table_exists' : 'relation_exists', message: `a ${taken} named "${op.to}" already exists in schema "${ctx.schema}"` }];
    }
    return [];
  },
  start: (op, ctx) => ({ actions: [], model: withTable(ctx.model, op.from, (table) => ({ ...table, name: op.to })) }),
  complete: (op, ctx) => [
    {
      kind: 'sql',
      // Completes run in file order: earlier renames of this table are physical by now.
      sql: `ALTER TABLE ${qualified(ctx.schema, op.from)} RENAME TO ${quoteIdent(op.to)}`,
      description: `rename table ${op.from} to ${op.to}`,
    },
  ],
  rollback: () => [],
});
