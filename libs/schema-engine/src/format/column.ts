import { z } from 'zod';
import type { ColumnModel } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import { ForeignKeyAction, ForeignKeyMatchType, referencesClauseSql } from './foreign-key';
import { Identifier } from './identifier';
import { SqlFragment } from './sql-text';

export { ForeignKeyAction, ForeignKeyMatchType } from './foreign-key';
export { Constraint } from './constraint';

/** A column's own CHECK constraint (pgroll `CheckConstraint`). */
export const CheckConstraint = z.strictObject({
  name: Identifier,
  constraint: SqlFragment,
  no_inherit: z.boolean().optional(),
});
export type CheckConstraint = z.infer<typeof CheckConstraint>;

/** A single-column foreign key declared on a column (pgroll `ForeignKeyReference`). */
export const ForeignKeyReference = z.strictObject({
  name: Identifier,
  table: Identifier,
  column: Identifier,
  on_delete: ForeignKeyAction.optional(),
  on_update: ForeignKeyAction.optional(),
  match_type: ForeignKeyMatchType.optional(),
  deferrable: z.boolean().optional(),
  initially_deferred: z.boolean().optional(),
});
export type ForeignKeyReference = z.infer<typeof ForeignKeyReference>;

export const ColumnIdentity = z.strictObject({
  user_specified_values: z.enum(['ALWAYS', 'BY DEFAULT']).optional(),
  /** Same options as CREATE SEQUENCE, e.g. `START 100 INCREMENT 10`. */
  sequence_options: SqlFragment.optional(),
});

/** Either a stored generated column (`expression`) or an identity column (`identity`), not both. */
export const ColumnGenerated = z
  .strictObject({ expression: SqlFragment.optional(), identity: ColumnIdentity.optional() })
  .refine((generated) => (generated.expression === undefined) !== (generated.identity === undefined), {
    message: 'generated needs exactly one of "expression" or "identity"',
  });
export type ColumnGenerated = z.infer<typeof ColumnGenerated>;

/**
 * A column in the pgroll format. `nullable` defaults to false: a column is NOT NULL unless it says
 * `nullable: true` (pgroll's rule, the opposite of SQL's).
 */
export const Column = z
  .strictObject({
    name: Identifier,
    type: SqlFragment,
    nullable: z.boolean().optional(),
    default: SqlFragment.optional(),
    pk: z.boolean().optional(),
    unique: z.boolean().optional(),
    check: CheckConstraint.optional(),
    references: ForeignKeyReference.optional(),
    comment: z.string().refine((text) => !text.includes('\0'), 'comment must not contain a NUL byte').optional(),
    generated: ColumnGenerated.optional(),
  })
  .superRefine((column, ctx) => {
    if (column.generated && column.default !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'a generated or identity column cannot have a default' });
    }
  });
export type Column = z.infer<typeof Column>;

export interface ColumnSqlOptions {
  /**
   * Render `PRIMARY KEY` on the column itself. CREATE TABLE leaves it off and declares one
   * table-level PRIMARY KEY over every `pk` column instead (a composite key otherwise fails).
   */
  withPrimaryKey?: boolean;
  /** Physical name of a referenced table (a table renamed earlier in the migration keeps its old one). */
  physicalTable?: (logicalTable: string) => string;
  /** Physical name of a referenced column. */
  physicalColumn?: (logicalTable: string, logicalColumn: string) => string;
}

export function isNullable(column: Column): boolean {
  // A primary key or identity column is NOT NULL whatever the file says.
  return column.nullable === true && !column.pk && !column.generated?.identity;
}

/** The column's definition inside CREATE TABLE or ALTER TABLE … ADD COLUMN. */
export function columnDefinitionSql(column: Column, schema: string, options: ColumnSqlOptions = {}): string {
  let sql = `${quoteIdent(column.name)} ${column.type}`;
  if (column.generated?.expression !== undefined) {
    sql += ` GENERATED ALWAYS AS (${column.generated.expression}) STORED`;
  } else if (column.generated?.identity) {
    const identity = column.generated.identity;
    // pgroll documents ALWAYS as the default when user_specified_values is left out.
    sql += ` GENERATED ${identity.user_specified_values ?? 'ALWAYS'} AS IDENTITY`;
    if (identity.sequence_options) sql += ` (${identity.sequence_options})`;
  }
  if (column.default !== undefined) sql += ` DEFAULT ${column.default}`;
  if (!isNullable(column)) sql += ' NOT NULL';
  if (options.withPrimaryKey && column.pk) sql += ' PRIMARY KEY';
  if (column.unique) sql += ' UNIQUE';
  if (column.check) {
    sql += ` CONSTRAINT ${quoteIdent(column.check.name)} CHECK (${column.check.constraint})`;
    if (column.check.no_inherit) sql += ' NO INHERIT';
  }
  if (column.references) {
    sql += ` CONSTRAINT ${quoteIdent(column.references.name)} ${columnReferencesSql(column.references, schema, options)}`;
  }
  return sql;
}

/** `REFERENCES "schema"."table" ("column") …` of a column's foreign key. */
export function columnReferencesSql(ref: ForeignKeyReference, schema: string, options: ColumnSqlOptions = {}): string {
  return referencesClauseSql({
    table: qualified(schema, options.physicalTable?.(ref.table) ?? ref.table),
    columns: [options.physicalColumn?.(ref.table, ref.column) ?? ref.column],
    onDelete: ref.on_delete,
    onUpdate: ref.on_update,
    matchType: ref.match_type,
    deferrable: ref.deferrable,
    initiallyDeferred: ref.initially_deferred,
  });
}

/**
 * The model of a column the migration creates. The type keeps the file's spelling; introspection
 * would report `format_type` (e.g. `character varying(20)` for `varchar(20)`), which only matters
 * to code comparing types, so the common aliases are normalised.
 */
export function columnToModel(column: Column): ColumnModel {
  const identity = column.generated?.identity;
  return {
    name: column.name,
    physicalName: column.name,
    type: canonicalTypeName(column.type),
    nullable: isNullable(column),
    default: column.default ?? null,
    comment: column.comment ?? null,
    identity: identity ? (identity.user_specified_values === 'BY DEFAULT' ? 'd' : 'a') : null,
    generated: column.generated?.expression ?? null,
  };
}

const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  bool: 'boolean',
  float8: 'double precision',
  float4: 'real',
  varchar: 'character varying',
  char: 'character',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  decimal: 'numeric',
};

/** `varchar(20)` → `character varying(20)`, `int[]` → `integer[]`; unknown names pass through. */
export function canonicalTypeName(type: string): string {
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\([^)]*\))?\s*((?:\[\s*\d*\s*\])*)\s*$/.exec(type);
  if (!match) return type.trim();
  const [, base, modifier = '', arrays = ''] = match;
  const name = TYPE_ALIASES[base.toLowerCase()] ?? base.toLowerCase();
  const normalisedModifier = modifier.replace(/\s+/g, '');
  const normalisedArrays = arrays.replace(/\[\s*\d*\s*\]/g, '[]');
  if (name.startsWith('timestamp ') || name.startsWith('time ')) {
    // format_type puts the precision after the keyword: timestamp(3) without time zone.
    const [keyword, ...rest] = name.split(' ');
    return `${keyword}${normalisedModifier}${rest.length ? ' ' + rest.join(' ') : ''}${normalisedArrays}`;
  }
  return `${name}${normalisedModifier}${normalisedArrays}`;
}
