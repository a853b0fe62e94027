import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { qualified, quoteIdent } from '../sql/identifiers';
import { isIssue, lookupTable } from './model-lookup';
import { defineOperation, type ValidationIssue } from './operation';
import { relationNameTaken } from './relation-names';

/** pgroll `OpRenameConstraint`. */
export const RenameConstraintBody = z.strictObject({ table: Identifier, from: Identifier, to: Identifier });
export type RenameConstraintBody = z.infer<typeof RenameConstraintBody>;

const INDEX_BACKED = new Set(['primary_key', 'unique', 'exclude']);

/**
 * rename_constraint: constraint names are not part of a version's view, so start changes nothing
 * (the old version may still name the constraint, e.g. in ON CONFLICT ON CONSTRAINT); complete
 * renames it; rollback has nothing to undo.
 */
export const renameConstraint = defineOperation({
  kind: 'rename_constraint',
  schema: RenameConstraintBody,
  validate(op, ctx) {
    const path = `operations[${ctx.index}].rename_constraint`;
    const table = lookupTable(ctx.model, op.table, `${path}.table`);
    if (isIssue(table)) return [table];
    const constraint = table.constraints.find((candidate) => candidate.name === op.from);
    if (!constraint) return [{ path: `${path}.from`, code: 'constraint_not_found', message: `table "${op.table}" has no constraint "${op.from}"` }];
    const issues: ValidationIssue[] = [];
    if (op.to === op.from || table.constraints.some((candidate) => candidate.name === op.to)) {
      issues.push({ path: `${path}.to`, code: 'constraint_exists', message: `table "${op.table}" already has a constraint "${op.to}"` });
    } else if (INDEX_BACKED.has(constraint.type) && relationNameTaken(ctx.model, op.to)) {
      // Renaming a unique/primary key/exclude constraint renames its index too, and index names
      // share the schema's namespace with tables.
      issues.push({ path: `${path}.to`, code: 'relation_exists', message: `"${op.to}" is already the name of a table or index in schema "${ctx.schema}"` });
    }
    return issues;
  },
  start: (_op, ctx) => ({ actions: [], model: ctx.model }),
  complete: (op, ctx) => [
    {
      kind: 'sql',
      // Completes run in file order: the table's name as this operation saw it is physical by now.
      sql: `ALTER TABLE ${qualified(ctx.schema, op.table)} RENAME CONSTRAINT ${quoteIdent(op.from)} TO ${quoteIdent(op.to)}`,
      description: `rename constraint ${op.from} on ${op.table} to ${op.to}`,
    },
  ],
  rollback: () => [],
});
