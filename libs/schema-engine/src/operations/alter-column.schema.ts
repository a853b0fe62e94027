import { z } from 'zod';
import { CheckConstraint, ForeignKeyReference } from '../format/column';
import { Identifier } from '../format/identifier';
import { SqlFragment } from '../format/sql-text';
import { Comment } from './create-table.schema';

/**
 * pgroll `OpAlterColumn`: several changes to one column at once. `default: null` drops the
 * default, `comment: null` clears the comment (hence nullable, not just optional).
 */
export const AlterColumnBody = z.strictObject({
  table: Identifier,
  column: Identifier,
  type: SqlFragment.optional(),
  nullable: z.boolean().optional(),
  default: SqlFragment.nullable().optional(),
  comment: Comment.nullable().optional(),
  unique: z.strictObject({ name: Identifier }).optional(),
  check: CheckConstraint.optional(),
  references: ForeignKeyReference.optional(),
  up: SqlFragment.optional(),
  down: SqlFragment.optional(),
});
export type AlterColumnBody = z.infer<typeof AlterColumnBody>;
