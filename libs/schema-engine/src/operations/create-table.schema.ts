import { z } from 'zod';
import { Column } from '../format/column';
import { Constraint } from '../format/constraint';
import { Identifier } from '../format/identifier';

export const Comment = z.string().refine((text) => !text.includes('\0'), 'a comment must not contain a NUL byte');

/** pgroll `OpCreateTable`. */
export const CreateTableBody = z.strictObject({
  name: Identifier,
  columns: z.array(Column).min(1, 'a table needs at least one column'),
  comment: Comment.optional(),
  constraints: z.array(Constraint).optional(),
});
export type CreateTableBody = z.infer<typeof CreateTableBody>;
