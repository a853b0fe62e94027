import type { MigrationStep } from '@bascule/contracts';
import { qualifiedTable } from './qualified-table';
import { sqlRelations } from './sql-relations';

/**
 * Tables a step reads or changes, as far as the planner can tell: the `table` of each pgroll
 * operation (and a created or dropped table's `name`), a verify or backup step's tables, the relations of a sql step.
 */
export function stepTables(step: MigrationStep): string[] {
  const tables = new Set<string>();
  if (step.schema) {
    for (const operation of step.schema.operations ?? []) {
      for (const [kind, body] of Object.entries(operation)) {
        if (typeof body !== 'object' || body === null) continue;
        const fields = body as Record<string, unknown>;
        if (typeof fields['table'] === 'string') tables.add(qualifiedTable(fields['table'], step.schema.schema));
        if (kind === 'create_table' && typeof fields['name'] === 'string') tables.add(qualifiedTable(fields['name'], step.schema.schema));
        if (kind === 'rename_table' && typeof fields['from'] === 'string') tables.add(qualifiedTable(fields['from'], step.schema.schema));
        if (kind === 'drop_table' && typeof fields['name'] === 'string') tables.add(qualifiedTable(fields['name'], step.schema.schema));
      }
    }
  }
  if (step.sql) {
    for (const sql of [step.sql.up, step.sql.down, step.sql.verify]) if (sql) for (const table of sqlRelations(sql)) tables.add(table);
  }
  for (const table of step.verify?.tables ?? []) tables.add(qualifiedTable(table));
  for (const table of step.backup?.tables ?? []) tables.add(qualifiedTable(table));
  return [...tables];
}
