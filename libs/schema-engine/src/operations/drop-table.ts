import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { withTable } from '../model/schema-model';
import { qualified } from '../sql/identifiers';
import { isIssue, lookupTable } from './model-lookup';
import { defineOperation, type ValidationIssue } from './operation';

/** pgroll `OpDropTable`. */
export const DropTableBody = z.strictObject({ name: Identifier });
export type DropTableBody = z.infer<typeof DropTableBody>;

/**
 * drop_table: start hides the table from the new version (its version schema has no view of it)
 * while the old version keeps reading and writing it; complete drops it; rollback has nothing
 * physical to undo (the table never went away).
 */
export const dropTable = defineOperation({
  kind: 'drop_table',
  schema: DropTableBody,
  validate(op, ctx) {
    const path = `operations[${ctx.index}].drop_table`;
    const table = lookupTable(ctx.model, op.name, `${path}.name`);
    if (isIssue(table)) return [table];
    // DROP TABLE without CASCADE fails at complete if another table's foreign key points here;
    // say so now rather than after the new version went live. A table dropped earlier in this
    // migration (hidden) is dropped first at complete, so its foreign keys do not count.
    const issues: ValidationIssue[] = [];
    for (const other of ctx.model.tables) {
      if (other === table || other.hidden) continue;
      for (const constraint of other.constraints) {
        if (constraint.type === 'foreign_key' && constraint.references?.schema === ctx.schema && constraint.references.table === table.physicalName) {
          issues.push({
            path: `${path}.name`,
            code: 'table_referenced',
            message: `table "${op.name}" is referenced by foreign key "${constraint.name}" of table "${other.name}"; drop that constraint first`,
          });
        }
      }
    }
    return issues;
  },
  start: (op, ctx) => ({ actions: [], model: withTable(ctx.model, op.name, (table) => ({ ...table, hidden: true })) }),
  complete: (op, ctx) => [
    // Completes run in file order, so the name this operation saw is the physical name by now.
    { kind: 'sql', sql: `DROP TABLE IF EXISTS ${qualified(ctx.schema, op.name)}`, description: `drop table ${op.name}` },
  ],
  rollback: () => [],
});
