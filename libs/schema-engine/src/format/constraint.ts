import { z } from 'zod';
import { qualified, quoteIdent } from '../sql/identifiers';
import { deferrableSql, ForeignKeyAction, ForeignKeyMatchType, referencesClauseSql } from './foreign-key';
import { Identifier } from './identifier';
import { SqlFragment } from './sql-text';

/** Table-level foreign key target (pgroll `TableForeignKeyReference`). */
export const TableForeignKeyReference = z.strictObject({
  table: Identifier,
  columns: z.array(Identifier).min(1),
  on_delete: ForeignKeyAction.optional(),
  on_update: ForeignKeyAction.optional(),
  match_type: ForeignKeyMatchType.optional(),
  /** Postgres 15+: `ON DELETE SET NULL (col, …)`. */
  on_delete_set_columns: z.array(Identifier).optional(),
});
export type TableForeignKeyReference = z.infer<typeof TableForeignKeyReference>;

export const ConstraintExclude = z.strictObject({
  index_method: Identifier.optional(),
  /** `room WITH =, during WITH &&` */
  elements: SqlFragment,
  predicate: SqlFragment.optional(),
});

export const IndexParameters = z.strictObject({
  tablespace: Identifier.optional(),
  storage_parameters: SqlFragment.optional(),
  include_columns: z.array(Identifier).optional(),
});
export type IndexParameters = z.infer<typeof IndexParameters>;

/** A table constraint of create_table (pgroll `Constraint`). */
export const Constraint = z
  .strictObject({
    name: Identifier,
    type: z.enum(['check', 'unique', 'primary_key', 'foreign_key', 'exclude']),
    columns: z.array(Identifier).optional(),
    check: SqlFragment.optional(),
    references: TableForeignKeyReference.optional(),
    exclude: ConstraintExclude.optional(),
    deferrable: z.boolean().optional(),
    initially_deferred: z.boolean().optional(),
    nulls_not_distinct: z.boolean().optional(),
    no_inherit: z.boolean().optional(),
    index_parameters: IndexParameters.optional(),
  })
  .superRefine((constraint, ctx) => {
    const need = (field: keyof typeof constraint, why: string) => {
      const value = constraint[field];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required ${why}` });
      }
    };
    const refuse = (field: keyof typeof constraint, why: string) => {
      if (constraint[field] !== undefined && constraint[field] !== false) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is not allowed ${why}` });
      }
    };
    const on = `for a ${constraint.type} constraint`;
    if (constraint.type !== 'check') {
      refuse('check', on);
      refuse('no_inherit', on);
    }
    if (constraint.type !== 'foreign_key') refuse('references', on);
    if (constraint.type !== 'exclude') refuse('exclude', on);
    if (constraint.type !== 'unique') refuse('nulls_not_distinct', on);
    switch (constraint.type) {
      case 'check':
        need('check', on);
        refuse('columns', on);
        refuse('deferrable', '(Postgres CHECK constraints cannot be deferred)');
        refuse('initially_deferred', '(Postgres CHECK constraints cannot be deferred)');
        refuse('index_parameters', on);
        break;
      case 'unique':
      case 'primary_key':
        need('columns', on);
        break;
      case 'foreign_key':
        need('columns', on);
        need('references', on);
        refuse('index_parameters', on);
        if (constraint.references && constraint.columns && constraint.references.columns.length !== constraint.columns.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['references', 'columns'],
            message: `a foreign key over ${constraint.columns.length} column(s) must reference as many columns`,
          });
        }
        if (
          constraint.references?.on_delete_set_columns?.length &&
          constraint.references.on_delete !== 'SET NULL' &&
          constraint.references.on_delete !== 'SET DEFAULT'
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['references', 'on_delete_set_columns'],
            message: 'on_delete_set_columns needs on_delete SET NULL or SET DEFAULT',
          });
        }
        break;
      case 'exclude':
        need('exclude', on);
        refuse('columns', on);
        break;
    }
  });
export type Constraint = z.infer<typeof Constraint>;

export interface ConstraintSqlOptions {
  physicalTable?: (logicalTable: string) => string;
  physicalColumn?: (logicalTable: string, logicalColumn: string) => string;
}

/** The constraint's clause inside CREATE TABLE (or after ALTER TABLE … ADD). */
export function constraintDefinitionSql(constraint: Constraint, schema: string, options: ConstraintSqlOptions = {}): string {
  const head = `CONSTRAINT ${quoteIdent(constraint.name)}`;
  const columns = (names: string[] | undefined) => (names ?? []).map(quoteIdent).join(', ');
  const deferrable = deferrableSql(constraint.deferrable, constraint.initially_deferred);
  switch (constraint.type) {
    case 'check':
      return `${head} CHECK (${constraint.check})${constraint.no_inherit ? ' NO INHERIT' : ''}`;
    case 'unique': {
      const nulls = constraint.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '';
      return `${head} UNIQUE${nulls} (${columns(constraint.columns)})${indexParametersSql(constraint.index_parameters)}${deferrable}`;
    }
    case 'primary_key':
      return `${head} PRIMARY KEY (${columns(constraint.columns)})${indexParametersSql(constraint.index_parameters)}${deferrable}`;
    case 'foreign_key': {
      const ref = constraint.references as TableForeignKeyReference;
      const physicalColumns = ref.columns.map((column) => options.physicalColumn?.(ref.table, column) ?? column);
      return `${head} FOREIGN KEY (${columns(constraint.columns)}) ${referencesClauseSql({
        table: qualified(schema, options.physicalTable?.(ref.table) ?? ref.table),
        columns: physicalColumns,
        onDelete: ref.on_delete,
        onDeleteSetColumns: ref.on_delete_set_columns,
        onUpdate: ref.on_update,
        matchType: ref.match_type,
        deferrable: constraint.deferrable,
        initiallyDeferred: constraint.initially_deferred,
      })}`;
    }
    case 'exclude': {
      const exclude = constraint.exclude as z.infer<typeof ConstraintExclude>;
      const method = exclude.index_method ? ` USING ${quoteIdent(exclude.index_method)}` : '';
      const where = exclude.predicate ? ` WHERE (${exclude.predicate})` : '';
      return `${head} EXCLUDE${method} (${exclude.elements})${indexParametersSql(constraint.index_parameters)}${where}${deferrable}`;
    }
  }
}

/** `INCLUDE (…) WITH (…) USING INDEX TABLESPACE …` for constraints backed by an index. */
export function indexParametersSql(parameters: IndexParameters | undefined): string {
  if (!parameters) return '';
  let sql = '';
  if (parameters.include_columns?.length) sql += ` INCLUDE (${parameters.include_columns.map(quoteIdent).join(', ')})`;
  if (parameters.storage_parameters) sql += ` WITH (${parameters.storage_parameters})`;
  if (parameters.tablespace) sql += ` USING INDEX TABLESPACE ${quoteIdent(parameters.tablespace)}`;
  return sql;
}
