import { z } from 'zod';
import { Identifier, identifierProblem } from '../format/identifier';
import { MAX_IDENTIFIER_BYTES } from '../sql/identifiers';
import { SqlFragment } from '../format/sql-text';

/** `opclass` or `schema.opclass`: each part an identifier. */
const QualifiedName = z.string().superRefine((name, ctx) => {
  for (const part of name.split('.')) {
    const problem = identifierProblem(part);
    if (problem) ctx.addIssue({ code: 'custom', message: `name ${JSON.stringify(name)}: part ${JSON.stringify(part)} ${problem}` });
  }
});

/** Collation names carry dots and dashes (`en_US.utf8`, `en-US-x-icu`); the whole name is quoted as one identifier. */
const CollationName = z
  .string()
  .regex(/^[\p{L}\p{N}_.@-]+$/u, 'a collation name holds only letters, digits, "_", ".", "@" and "-"')
  .refine((name) => Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES, `a collation name is at most ${MAX_IDENTIFIER_BYTES} bytes`);

const Opclass = z.union([
  QualifiedName,
  z.strictObject({
    name: QualifiedName,
    /** Operator class parameters, e.g. `siglen=32`. */
    params: z.array(SqlFragment).optional(),
  }),
]);

const IndexFieldSettings = z.strictObject({
  collate: CollationName.optional(),
  sort: z.enum(['ASC', 'DESC']).optional(),
  nulls: z.enum(['FIRST', 'LAST']).optional(),
  opclass: Opclass.optional(),
});

const IndexField = IndexFieldSettings.extend({ column: Identifier });
export type IndexField = z.infer<typeof IndexField>;

/**
 * pgroll has written `columns` three ways over its releases: a list of names (≤ 0.9), a map of
 * name → settings (0.10) and a list of `{column, …settings}` (current). All three are accepted and
 * read as the current form; a map keeps its key order (YAML order).
 */
const IndexColumns = z
  .union([
    z.array(z.union([Identifier, IndexField])).min(1, 'an index needs at least one column'),
    z.record(Identifier, IndexFieldSettings).refine((map) => Object.keys(map).length > 0, 'an index needs at least one column'),
  ])
  .transform((columns): IndexField[] =>
    Array.isArray(columns)
      ? columns.map((entry) => (typeof entry === 'string' ? { column: entry } : entry))
      : Object.entries(columns).map(([column, settings]) => ({ column, ...settings })),
  );

export const IndexMethod = z.enum(['btree', 'hash', 'gist', 'spgist', 'gin', 'brin']);

/** pgroll `OpCreateIndex`. */
export const CreateIndexBody = z.strictObject({
  table: Identifier,
  name: Identifier,
  columns: IndexColumns,
  method: IndexMethod.optional(),
  predicate: SqlFragment.optional(),
  storage_parameters: SqlFragment.optional(),
  unique: z.boolean().optional(),
});
export type CreateIndexBody = z.infer<typeof CreateIndexBody>;
