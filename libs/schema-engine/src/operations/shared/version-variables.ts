import type { TableModel } from '../../model/schema-model';
import type { SyncVariable } from './sync-trigger';

/**
 * The variables a version's `up`/`down` expressions may use: every column that version sees, by
 * its name there. Stored generated columns are left out: a BEFORE trigger sees them before they
 * are computed, so reading one would silently give a stale or NULL value.
 */
export function versionVariables(table: TableModel): SyncVariable[] {
  return table.columns
    .filter((column) => !column.hidden && column.generated === null)
    .map((column) => ({ name: column.name, physicalName: column.physicalName }));
}
