import type { SchemaModel, TableModel } from '../model/schema-model';
import type { SqlAction } from '../operations/operation';
import { qualified, quoteIdent } from '../sql/identifiers';

function viewSql(model: SchemaModel, versionSchema: string, table: TableModel, securityInvoker: boolean): string {
  const columns = table.columns
    .filter((column) => !column.hidden)
    .map((column) =>
      column.physicalName === column.name ? quoteIdent(column.name) : `${quoteIdent(column.physicalName)} AS ${quoteIdent(column.name)}`,
    );
  // A single-table SELECT of plain columns stays auto-updatable, so each version writes through
  // its views. security_invoker (Postgres 15+) keeps the table's row-level security in force for
  // the querying role, as pgroll does.
  const options = securityInvoker ? ' WITH (security_invoker = true)' : '';
  return `CREATE VIEW ${qualified(versionSchema, table.name)}${options} AS SELECT ${columns.join(', ')} FROM ${qualified(model.schema, table.physicalName)}`;
}

/**
 * The version schema of a migration: one view per visible table of the final model, created in
 * one transaction so a version is either complete or absent.
 */
export function createVersionSchemaAction(model: SchemaModel, versionSchema: string, securityInvoker = true): SqlAction {
  const tables = model.tables.filter((table) => !table.hidden);
  const statements = [
    `CREATE SCHEMA ${quoteIdent(versionSchema)}`,
    ...tables.map((table) => viewSql(model, versionSchema, table, securityInvoker)),
  ];
  return {
    kind: 'sql',
    sql: statements.join(';\n'),
    description: `create version schema ${versionSchema} with ${tables.length} view${tables.length === 1 ? '' : 's'}`,
  };
}

/** Re-creates the views of an existing version schema (after a `sql` operation changed the tables). */
export function recreateVersionSchemaAction(model: SchemaModel, versionSchema: string, securityInvoker = true): SqlAction {
  const create = createVersionSchemaAction(model, versionSchema, securityInvoker);
  return {
    kind: 'sql',
    sql: `DROP SCHEMA IF EXISTS ${quoteIdent(versionSchema)} CASCADE;\n${create.sql}`,
    description: `re-create version schema ${versionSchema}`,
  };
}

export function dropVersionSchemaAction(versionSchema: string, why: string): SqlAction {
  return {
    kind: 'sql',
    sql: `DROP SCHEMA IF EXISTS ${quoteIdent(versionSchema)} CASCADE`,
    description: `drop version schema ${versionSchema} (${why})`,
  };
}
