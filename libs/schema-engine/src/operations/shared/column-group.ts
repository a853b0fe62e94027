import { findColumn, type TableModel } from '../../model/schema-model';
import { quoteIdent } from '../../sql/identifiers';
import type { Action, OperationContext, SqlAction } from '../operation';
import {
  addDuplicateColumnsActions,
  duplicateColumnDetailsActions,
  duplicateIndexesActions,
  withDuplicatedColumns,
  type ColumnGroupDuplicate,
} from './column-duplicate';
import { atomicSwapActions } from './atomic-swap';
import { dropDuplicatesActions, promoteDuplicatesActions, validateDuplicatesActions } from './duplicate-swap';
import { duplicateColumnName, syncTriggerNames } from './internal-names';
import { backfillCompute, createSyncTriggerActions, dropSyncTriggerActions, type SyncTrigger } from './sync-trigger';
import { versionVariables } from './version-variables';

/**
 * Several columns of one table duplicated with their shape unchanged, each kept in sync by its
 * own `up`/`down` expression (an absent one copies the value): the technique of
 * create_constraint, drop_multicolumn_constraint and drop_constraint.
 */
export interface ColumnGroupPlan {
  table: TableModel;
  group: ColumnGroupDuplicate;
  trigger: SyncTrigger;
  /** The table as the new version sees it. */
  after: TableModel;
}

export interface ColumnGroupOptions {
  /** Logical column names. */
  columns: string[];
  up: Record<string, string> | undefined;
  down: Record<string, string> | undefined;
  withoutConstraints?: string[];
  /** Make every duplicate NOT NULL (a primary key's columns). */
  notNull?: boolean;
}

export function planColumnGroup(table: TableModel, ctx: OperationContext, options: ColumnGroupOptions): ColumnGroupPlan {
  const columns = options.columns.map((name) => {
    const column = findColumn(table, name);
    if (!column) throw new Error(`column "${name}" is not in table "${table.name}" (validate first)`);
    return column;
  });
  const group: ColumnGroupDuplicate = {
    schema: ctx.schema,
    table,
    columns: columns.map((column) => ({
      original: column,
      duplicate: duplicateColumnName(column.physicalName),
      type: column.type,
      nullable: options.notNull ? false : column.nullable,
      default: column.default,
      defaultMayNotFit: false,
      comment: column.comment,
    })),
    withoutConstraints: options.withoutConstraints ?? [],
    typeChanged: false,
  };
  const after = withDuplicatedColumns(table, group);
  const trigger: SyncTrigger = {
    schema: ctx.schema,
    table: table.physicalName,
    names: syncTriggerNames(table.physicalName, ctx.migrationName, ctx.index),
    versionSchema: ctx.versionSchema,
    fromOld: {
      variables: versionVariables(table),
      assignments: group.columns.map((column) => ({
        physicalName: column.duplicate,
        expression: options.up?.[column.original.name] ?? quoteIdent(column.original.name),
      })),
    },
    fromNew: {
      variables: versionVariables(after),
      assignments: group.columns.map((column) => ({
        physicalName: column.original.physicalName,
        expression: options.down?.[column.original.name] ?? quoteIdent(column.original.name),
      })),
    },
  };
  return { table, group, trigger, after };
}

/** Duplicates, trigger, then `constraints` (NOT VALID) and `indexes` (concurrent), then the backfill. */
export function columnGroupStartActions(plan: ColumnGroupPlan, constraints: SqlAction[] = [], indexes: SqlAction[] = []): Action[] {
  return [
    ...addDuplicateColumnsActions(plan.group),
    ...createSyncTriggerActions(plan.trigger),
    ...duplicateColumnDetailsActions(plan.group),
    ...constraints,
    ...duplicateIndexesActions(plan.group),
    ...indexes,
    {
      kind: 'backfill',
      table: plan.table.physicalName,
      description: `backfill the duplicated columns of ${plan.table.physicalName}`,
      compute: backfillCompute(plan.trigger, plan.table),
    },
  ];
}

/**
 * The copies and `validations` validated (table scans, each its own transaction, while the trigger
 * still fills the duplicates), then one atomic swap: trigger gone, duplicates in place, `attach`
 * (USING INDEX).
 */
export function columnGroupCompleteActions(plan: ColumnGroupPlan, validations: SqlAction[] = [], attach: SqlAction[] = []): Action[] {
  // Earlier renames of this migration are physical by now (completes run in file order).
  const swap = [...dropSyncTriggerActions({ ...plan.trigger, table: plan.table.name }), ...promoteDuplicatesActions(plan.group), ...attach];
  const columns = plan.group.columns.map((column) => column.original.name).join(', ');
  return [
    ...validateDuplicatesActions(plan.group),
    ...validations,
    ...atomicSwapActions(plan.group.schema, plan.table.name, swap, `swap ${plan.table.name} (${columns})`),
  ];
}

export function columnGroupRollbackActions(plan: ColumnGroupPlan, indexDrops: SqlAction[] = []): Action[] {
  return [...dropSyncTriggerActions(plan.trigger), ...indexDrops, ...dropDuplicatesActions(plan.group)];
}
