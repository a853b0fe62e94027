import { columnDefinitionSql, columnToModel, isNullable } from '../format/column';
import { findTable, type TableModel } from '../model/schema-model';
import { qualified, quoteIdent, quoteLiteral } from '../sql/identifiers';
import type { AddColumnBody } from './add-column.schema';
import type { Action, OperationContext, SqlAction } from './operation';
import { primaryKeyName, uniqueKeyName } from './postgres-names';
import { renameColumnReferences } from './shared/column-references';
import { physicalReferencesClause } from './shared/references-clause';
import { notNullCheckName, syncTriggerNames } from './shared/internal-names';
import { isLiteralDefault } from './shared/literal-default';
import { sqlAction } from './shared/sql-action';
import { backfillCompute, type SyncTrigger } from './shared/sync-trigger';
import { versionVariables } from './shared/version-variables';

/** What add_column's three phases derive from the operation and the model its start saw. */
export interface AddColumnPlan {
  table: TableModel;
  after: TableModel;
  /** ADD COLUMN (with the default only when it is a literal: no table rewrite). */
  addColumn: SqlAction;
  trigger: SyncTrigger | null;
  /** After the trigger: a non-literal default, the NOT VALID checks, foreign key, comment. */
  details: SqlAction[];
  /** Constraints added NOT VALID at start, validated at complete. */
  toValidate: string[];
  /** Stand-in for NOT NULL, or null when the column may be NULL (or is identity: NOT NULL already). */
  notNullCheck: string | null;
  /** Unique or primary-key index built concurrently, attached as a constraint at complete. */
  keyIndex: { name: string; kind: 'UNIQUE' | 'PRIMARY KEY'; build: SqlAction } | null;
}

export function planAddColumn(op: AddColumnBody, ctx: OperationContext): AddColumnPlan {
  const table = findTable(ctx.model, op.table);
  if (!table) throw new Error(`add_column: table "${op.table}" is not in the model (validate first)`);
  const column = op.column;
  const physicalTable = qualified(ctx.schema, table.physicalName);
  const name = quoteIdent(column.name);
  const inlineDefault = column.default !== undefined && isLiteralDefault(column.default);
  const addColumn = sqlAction(
    `ALTER TABLE ${physicalTable} ADD COLUMN ${columnDefinitionSql(
      { name: column.name, type: column.type, generated: column.generated, default: inlineDefault ? column.default : undefined, nullable: true },
      ctx.schema,
    )}`,
    `add column ${table.physicalName}.${column.name}`,
  );
  const modelColumn = columnToModel(column);
  const after: TableModel = { ...table, columns: [...table.columns, modelColumn] };
  // A volatile default is not written into existing rows by ADD COLUMN (that would rewrite the
  // table under an exclusive lock); without `up` the backfill evaluates it for them instead.
  const up = op.up ?? (column.default !== undefined && !inlineDefault ? column.default : undefined);
  const trigger: SyncTrigger | null =
    up === undefined
      ? null
      : {
          schema: ctx.schema,
          table: table.physicalName,
          names: syncTriggerNames(table.physicalName, ctx.migrationName, ctx.index),
          versionSchema: ctx.versionSchema,
          fromOld: { variables: versionVariables(table), assignments: [{ physicalName: column.name, expression: up }] },
          // The new version writes the column itself.
          fromNew: { variables: [], assignments: [] },
        };
  const details: SqlAction[] = [];
  const toValidate: string[] = [];
  if (column.default !== undefined && !inlineDefault) {
    details.push(sqlAction(`ALTER TABLE ${physicalTable} ALTER COLUMN ${name} SET DEFAULT ${column.default}`, `set default of ${column.name}`));
  }
  const notNullCheck = !isNullable(column) && !column.generated?.identity ? notNullCheckName(column.name) : null;
  if (notNullCheck) {
    details.push(
      sqlAction(
        `ALTER TABLE ${physicalTable} ADD CONSTRAINT ${quoteIdent(notNullCheck)} CHECK (${name} IS NOT NULL) NOT VALID`,
        `add NOT VALID not-null check on ${column.name}`,
      ),
    );
  }
  if (column.check) {
    const physical = new Map(versionVariables(after).map((variable) => [variable.name, variable.physicalName]));
    const expression = renameColumnReferences(column.check.constraint, physical);
    details.push(
      sqlAction(
        `ALTER TABLE ${physicalTable} ADD CONSTRAINT ${quoteIdent(column.check.name)} CHECK (${expression})${column.check.no_inherit ? ' NO INHERIT' : ''} NOT VALID`,
        `add check ${column.check.name} (NOT VALID)`,
      ),
    );
    toValidate.push(column.check.name);
  }
  if (column.references) {
    const ref = column.references;
    const clause = physicalReferencesClause(ref, ctx);
    details.push(
      sqlAction(`ALTER TABLE ${physicalTable} ADD CONSTRAINT ${quoteIdent(ref.name)} FOREIGN KEY (${name}) ${clause} NOT VALID`, `add foreign key ${ref.name} (NOT VALID)`),
    );
    toValidate.push(ref.name);
  }
  if (column.comment !== undefined) {
    details.push(sqlAction(`COMMENT ON COLUMN ${physicalTable}.${name} IS ${quoteLiteral(column.comment)}`, `comment on ${column.name}`));
  }
  let keyIndex: AddColumnPlan['keyIndex'] = null;
  if (column.pk || column.unique) {
    const kind = column.pk ? 'PRIMARY KEY' : 'UNIQUE';
    const indexName = column.pk ? primaryKeyName(table.physicalName) : uniqueKeyName(table.physicalName, column.name);
    keyIndex = {
      name: indexName,
      kind,
      build: sqlAction(
        `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(indexName)} ON ${physicalTable} (${name})`,
        `build ${kind.toLowerCase()} index ${indexName} concurrently`,
        false,
      ),
    };
  }
  return { table, after, addColumn, trigger, details, toValidate, notNullCheck, keyIndex };
}

export function backfillFor(plan: AddColumnPlan, column: string): Action[] {
  if (!plan.trigger) return [];
  return [{ kind: 'backfill', table: plan.table.physicalName, description: `backfill ${plan.table.physicalName}.${column} with up`, compute: backfillCompute(plan.trigger, plan.table) }];
}
