import { z } from 'zod';
import { Column } from '../format/column';
import { Identifier } from '../format/identifier';
import { SqlFragment } from '../format/sql-text';

/** pgroll `OpAddColumn`. `up` computes the column for existing rows and for writes of the old version. */
export const AddColumnBody = z.strictObject({
  table: Identifier,
  column: Column,
  up: SqlFragment.optional(),
});
export type AddColumnBody = z.infer<typeof AddColumnBody>;
