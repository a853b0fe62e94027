import { z } from 'zod';
import { IndexParameters, TableForeignKeyReference } from '../format/constraint';
import { Identifier } from '../format/identifier';
import { SqlFragment } from '../format/sql-text';

/** `{column: SQL expression}`, one per constrained column. */
export const ColumnExpressions = z.record(Identifier, SqlFragment);

/** pgroll `OpCreateConstraint`. */
export const CreateConstraintBody = z.strictObject({
  table: Identifier,
  name: Identifier,
  type: z.enum(['unique', 'check', 'primary_key', 'foreign_key']),
  columns: z.array(Identifier).min(1, 'a constraint needs at least one column'),
  check: SqlFragment.optional(),
  no_inherit: z.boolean().optional(),
  references: TableForeignKeyReference.optional(),
  index_parameters: IndexParameters.optional(),
  nulls_not_distinct: z.boolean().optional(),
  deferrable: z.boolean().optional(),
  initially_deferred: z.boolean().optional(),
  up: ColumnExpressions,
  down: ColumnExpressions,
});
export type CreateConstraintBody = z.infer<typeof CreateConstraintBody>;
