import type { ColumnModel, TableModel } from '../../model/schema-model';
import type { OperationContext } from '../operation';

/** A column as introspection would report it (logical = physical name). */
export function columnModel(name: string, type = 'text', extra: Partial<ColumnModel> = {}): ColumnModel {
  return { name, physicalName: name, type, nullable: true, default: null, comment: null, identity: null, generated: null, ...extra };
}

/** A table as introspection would report it, with an `id integer` primary key unless columns say otherwise. */
export function tableModel(name: string, columns: ColumnModel[] = [columnModel('id', 'integer', { nullable: false })], extra: Partial<TableModel> = {}): TableModel {
  return {
    name,
    physicalName: name,
    columns,
    primaryKey: [],
    constraints: [],
    indexes: [],
    comment: null,
    replicaIdentity: 'd',
    rowEstimate: 0,
    ...extra,
  };
}

/** The context an operation sees as the operation at `index` of migration `m1` on `public`. */
export function contextFor(tables: TableModel[], index = 0): OperationContext {
  return { schema: 'public', migrationName: 'm1', versionSchema: 'public_m1', model: { schema: 'public', tables }, index };
}
