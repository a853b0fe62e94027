import { canonicalTypeName } from '../format/column';
import { findColumn, findTable, type ColumnModel, type TableModel } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import type { AlterColumnBody } from './alter-column.schema';
import type { OperationContext } from './operation';
import { renameColumnReferences } from './shared/column-references';
import { physicalReferencesClause } from './shared/references-clause';
import { withDuplicatedColumns, type ColumnGroupDuplicate } from './shared/column-duplicate';
import { duplicateColumnName, syncTriggerNames } from './shared/internal-names';
import type { SyncTrigger } from './shared/sync-trigger';
import { versionVariables } from './shared/version-variables';

/** Everything start, complete and rollback of one alter_column derive from the operation and the model. */
export interface AlterColumnPlan {
  table: TableModel;
  column: ColumnModel;
  /** null for a comment-only change, which needs no duplicate. */
  group: ColumnGroupDuplicate | null;
  trigger: SyncTrigger | null;
  /** The table as the new version sees it. */
  after: TableModel;
  /** Constraints the operation adds on the duplicate, NOT VALID (check, foreign key). */
  addedConstraints: Array<{ name: string; type: 'check' | 'foreign_key'; definition: string; sql: string }>;
  /** `CREATE UNIQUE INDEX CONCURRENTLY` for `unique`, turned into a constraint at complete. */
  uniqueIndex: { name: string; sql: string } | null;
}

export function typeChanges(op: AlterColumnBody, column: ColumnModel): boolean {
  return op.type !== undefined && canonicalTypeName(op.type) !== column.type;
}

/** pgroll applies a comment in place; every other change goes through a duplicate column. */
export function isCommentOnly(op: AlterColumnBody): boolean {
  return (
    op.comment !== undefined &&
    op.type === undefined &&
    op.nullable === undefined &&
    op.default === undefined &&
    op.unique === undefined &&
    op.check === undefined &&
    op.references === undefined
  );
}

export function planAlterColumn(op: AlterColumnBody, ctx: OperationContext): AlterColumnPlan {
  const table = findTable(ctx.model, op.table);
  const column = table && findColumn(table, op.column);
  if (!table || !column) throw new Error(`alter_column: ${op.table}.${op.column} is not in the model (validate first)`);
  if (isCommentOnly(op)) {
    const after = { ...table, columns: table.columns.map((c) => (c === column ? { ...c, comment: op.comment ?? null } : c)) };
    return { table, column, group: null, trigger: null, after, addedConstraints: [], uniqueIndex: null };
  }
  const changesType = typeChanges(op, column);
  const duplicate = duplicateColumnName(column.physicalName);
  const group: ColumnGroupDuplicate = {
    schema: ctx.schema,
    table,
    columns: [
      {
        original: column,
        duplicate,
        type: op.type === undefined ? column.type : canonicalTypeName(op.type),
        nullable: op.nullable ?? column.nullable,
        default: op.default === undefined ? column.default : op.default,
        defaultMayNotFit: op.default === undefined && changesType,
        comment: op.comment === undefined ? column.comment : op.comment,
      },
    ],
    withoutConstraints: [],
    typeChanged: changesType,
  };
  const after = withDuplicatedColumns(table, group);
  const physicalTable = qualified(ctx.schema, table.physicalName);
  // The author's check names columns as the new version sees them; the constraint sits on the physical table.
  const physicalNames = new Map(versionVariables(after).map((variable) => [variable.name, variable.physicalName]));
  const addedConstraints: AlterColumnPlan['addedConstraints'] = [];
  if (op.check) {
    const definition = `CHECK (${renameColumnReferences(op.check.constraint, physicalNames)})${op.check.no_inherit ? ' NO INHERIT' : ''}`;
    addedConstraints.push({
      name: op.check.name,
      type: 'check',
      definition,
      sql: `ALTER TABLE ${physicalTable} ADD CONSTRAINT ${quoteIdent(op.check.name)} ${definition} NOT VALID`,
    });
  }
  if (op.references) {
    const ref = op.references;
    const clause = physicalReferencesClause(ref, ctx);
    const definition = `FOREIGN KEY (${quoteIdent(duplicate)}) ${clause}`;
    addedConstraints.push({
      name: ref.name,
      type: 'foreign_key',
      definition,
      sql: `ALTER TABLE ${physicalTable} ADD CONSTRAINT ${quoteIdent(ref.name)} ${definition} NOT VALID`,
    });
  }
  const uniqueIndex = op.unique
    ? {
        name: op.unique.name,
        sql: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(op.unique.name)} ON ${physicalTable} (${quoteIdent(duplicate)})`,
      }
    : null;
  const identity = quoteIdent(column.name);
  const trigger: SyncTrigger = {
    schema: ctx.schema,
    table: table.physicalName,
    names: syncTriggerNames(table.physicalName, ctx.migrationName, ctx.index),
    versionSchema: ctx.versionSchema,
    fromOld: { variables: versionVariables(table), assignments: [{ physicalName: duplicate, expression: op.up ?? identity }] },
    fromNew: { variables: versionVariables(after), assignments: [{ physicalName: column.physicalName, expression: op.down ?? identity }] },
  };
  return {
    table,
    column,
    group,
    trigger,
    after: {
      ...after,
      constraints: [
        ...after.constraints,
        ...addedConstraints.map((added) => ({
          name: added.name,
          type: added.type,
          columns: [duplicate],
          definition: added.definition,
          validated: false,
        })),
        ...(uniqueIndex
          ? [{ name: uniqueIndex.name, type: 'unique' as const, columns: [duplicate], definition: `UNIQUE (${quoteIdent(duplicate)})`, validated: true }]
          : []),
      ],
    },
    addedConstraints,
    uniqueIndex,
  };
}
