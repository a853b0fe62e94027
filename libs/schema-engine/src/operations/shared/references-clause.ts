import type { ForeignKeyReference } from '../../format/column';
import { referencesClauseSql } from '../../format/foreign-key';
import { findColumn, findTable } from '../../model/schema-model';
import { qualified } from '../../sql/identifiers';
import type { OperationContext } from '../operation';

/**
 * The `REFERENCES ...` clause of a column's foreign key, pointing at the referenced table and
 * column as they physically are: an earlier operation of the same migration may have renamed them
 * only in the model (the rename becomes physical at complete), so the logical names in the file
 * are resolved through the model first.
 */
export function physicalReferencesClause(ref: ForeignKeyReference, ctx: OperationContext): string {
  const target = findTable(ctx.model, ref.table);
  const targetColumn = target && findColumn(target, ref.column);
  return referencesClauseSql({
    table: qualified(ctx.schema, target?.physicalName ?? ref.table),
    columns: [targetColumn?.physicalName ?? ref.column],
    onDelete: ref.on_delete,
    onUpdate: ref.on_update,
    matchType: ref.match_type,
    deferrable: ref.deferrable,
    initiallyDeferred: ref.initially_deferred,
  });
}
