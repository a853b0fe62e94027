import type { SchemaModel } from '../model/schema-model';

/**
 * Tables and indexes share one namespace per schema in Postgres (pg_class). A name is taken when
 * any table (visible, hidden or renamed: its physical name still exists) or index uses it.
 */
export function relationNameTaken(model: SchemaModel, name: string): 'table' | 'index' | null {
  for (const table of model.tables) {
    if (table.name === name || table.physicalName === name) return 'table';
  }
  for (const table of model.tables) {
    if (table.indexes.some((index) => index.name === name)) return 'index';
  }
  return null;
}
