import { columnReferencesSql, columnToModel } from '../format/column';
import { constraintDefinitionSql, type Constraint } from '../format/constraint';
import { excludeElementColumns } from '../format/sql-parser';
import type { ConstraintModel, IndexModel, SchemaModel, TableModel } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import type { CreateTableBody } from './create-table.schema';
import { physicalNames } from './create-table-sql';
import { tableKeys } from './create-table-keys';

/** The clause after `CONSTRAINT <name> `: valid SQL to re-add the constraint elsewhere. */
function clauseOf(definition: string): string {
  return definition.replace(/^CONSTRAINT\s+"(?:[^"]|"")*"\s+/, '');
}

function indexFor(schema: string, table: string, name: string, columns: Array<string | null>, unique: boolean, constraint: string, using?: string): IndexModel {
  using ??= `USING btree (${columns.map((column) => quoteIdent(column ?? '')).join(', ')})`;
  return {
    name,
    columns,
    unique,
    definition: `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(name)} ON ${qualified(schema, table)} ${using}`,
    constraint,
    valid: true,
  };
}

/**
 * The table as Postgres will have it after `createTableSql`, described without reading the
 * database, so later operations of the same migration can validate against it. Names Postgres
 * chooses itself (`<table>_pkey`, `<table>_<column>_key`) are computed the way Postgres does.
 */
export function createdTableModel(op: CreateTableBody, model: SchemaModel): TableModel {
  const schema = model.schema;
  const names = physicalNames(model);
  const constraints: ConstraintModel[] = [];
  const indexes: IndexModel[] = [];
  const keys = tableKeys(op);
  for (const key of keys) {
    const definition =
      key.constraint?.type === key.type
        ? clauseOf(constraintDefinitionSql(key.constraint, schema, names))
        : `${key.type === 'primary_key' ? 'PRIMARY KEY' : 'UNIQUE'} (${key.columns.map(quoteIdent).join(', ')})`;
    constraints.push({ name: key.name, type: key.type, columns: key.columns, definition, validated: true });
    indexes.push(indexFor(schema, op.name, key.name, key.columns, true, key.name));
  }
  for (const column of op.columns) {
    if (column.check) {
      constraints.push({
        name: column.check.name,
        type: 'check',
        columns: [column.name],
        definition: `CHECK (${column.check.constraint})${column.check.no_inherit ? ' NO INHERIT' : ''}`,
        validated: true,
      });
    }
    if (column.references) {
      const ref = column.references;
      constraints.push({
        name: ref.name,
        type: 'foreign_key',
        columns: [column.name],
        definition: `FOREIGN KEY (${quoteIdent(column.name)}) ${columnReferencesSql(ref, schema, names)}`,
        validated: true,
        references: { schema, table: names.physicalTable(ref.table), columns: [names.physicalColumn(ref.table, ref.column)] },
      });
    }
  }
  for (const constraint of op.constraints ?? []) {
    // Keys were merged above; exclude constraints are index-backed but never merged.
    if (constraint.type === 'unique' || constraint.type === 'primary_key') continue;
    constraints.push(tableConstraintModel(constraint, schema, names));
    if (constraint.type === 'exclude') {
      const columns = excludeElementColumns(constraint.exclude?.elements ?? '') ?? [];
      // The definition keeps the elements as written (with their operators): an exclusion index
      // is only ever re-created through its constraint.
      const exclude = constraint.exclude;
      const using = `USING ${exclude?.index_method ?? 'btree'} (${exclude?.elements ?? ''})`;
      indexes.push(indexFor(schema, op.name, constraint.name, columns, false, constraint.name, using));
    }
  }
  return {
    name: op.name,
    physicalName: op.name,
    columns: op.columns.map(columnToModel),
    primaryKey: keys.find((key) => key.type === 'primary_key')?.columns ?? [],
    constraints,
    indexes,
    comment: op.comment ?? null,
    replicaIdentity: 'd',
    rowEstimate: 0,
  };
}

function tableConstraintModel(constraint: Constraint, schema: string, names: ReturnType<typeof physicalNames>): ConstraintModel {
  const excluded = constraint.exclude ? (excludeElementColumns(constraint.exclude.elements) ?? []).filter((column): column is string => column !== null) : [];
  const base: ConstraintModel = {
    name: constraint.name,
    type: constraint.type,
    columns: constraint.columns ?? excluded,
    definition: clauseOf(constraintDefinitionSql(constraint, schema, names)),
    validated: true,
  };
  if (constraint.type !== 'foreign_key' || !constraint.references) return base;
  const ref = constraint.references;
  return {
    ...base,
    references: { schema, table: names.physicalTable(ref.table), columns: ref.columns.map((column) => names.physicalColumn(ref.table, column)) },
  };
}
