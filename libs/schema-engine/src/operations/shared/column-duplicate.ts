import type { ColumnModel, TableModel } from '../../model/schema-model';
import { qualified, quoteIdent, quoteLiteral } from '../../sql/identifiers';
import type { SqlAction } from '../operation';
import { constraintCopySql, copiedChecksAndKeys, copiedPlainIndexes, copiedUniqueKeys, renames, uniqueIndexSql } from './carried-constraints';
import { tolerating } from './guarded-sql';
import { copyIndexSql } from './index-copy';
import { duplicateConstraintName, notNullCheckName } from './internal-names';
import { sqlAction as sql } from './sql-action';

/** One column of a table and the shape of the physical column that replaces it. */
export interface DuplicatedColumn {
  original: ColumnModel;
  /** Physical name of the duplicate (`duplicateColumnName(original.physicalName)`). */
  duplicate: string;
  type: string;
  nullable: boolean;
  default: string | null;
  /** The default is the original's and the type changed: installed only if it fits (pgroll skips a mismatch). */
  defaultMayNotFit: boolean;
  comment: string | null;
}

/** Columns of one table duplicated together (so a constraint over several of them is copied once). */
export interface ColumnGroupDuplicate {
  schema: string;
  /** The table as the operation's start saw it. */
  table: TableModel;
  columns: DuplicatedColumn[];
  /** Constraints that must not follow the columns (the one `drop_constraint` removes). */
  withoutConstraints: string[];
  /** A type changed: copied checks and foreign keys may no longer apply; they are kept only where they do. */
  typeChanged: boolean;
}

const UNDEFINED_FUNCTION = '42883';
const DATATYPE_MISMATCH = '42804';
const CANNOT_COERCE = '42846';
const FK_TYPE_MISMATCH = '42804';

/**
 * Start, first: the bare duplicate columns. Nothing that can reject a write is added yet: the
 * sync trigger must exist before a NOT VALID not-null check does, or an old-version INSERT
 * arriving in between would fail on the still-empty duplicate.
 */
export function addDuplicateColumnsActions(group: ColumnGroupDuplicate): SqlAction[] {
  const table = qualified(group.schema, group.table.physicalName);
  return group.columns.map((column) =>
    sql(`ALTER TABLE ${table} ADD COLUMN ${quoteIdent(column.duplicate)} ${column.type}`, `add column ${group.table.physicalName}.${column.duplicate}`),
  );
}

/**
 * Start, after the sync trigger (one transaction each): defaults, the NOT VALID checks standing
 * in for NOT NULL, copies of the checks and foreign keys on the originals (NOT VALID), comments.
 * The default is set after ADD COLUMN, never inside it, because `ADD COLUMN ... DEFAULT
 * volatile()` rewrites the whole table under an exclusive lock.
 */
export function duplicateColumnDetailsActions(group: ColumnGroupDuplicate): SqlAction[] {
  const table = qualified(group.schema, group.table.physicalName);
  const actions: SqlAction[] = [];
  for (const column of group.columns) {
    const target = `${group.table.physicalName}.${column.duplicate}`;
    if (column.default !== null) {
      const setDefault = `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column.duplicate)} SET DEFAULT ${column.default}`;
      actions.push(
        sql(
          column.defaultMayNotFit ? tolerating(setDefault, [DATATYPE_MISMATCH, UNDEFINED_FUNCTION, CANNOT_COERCE]) : setDefault,
          `set default of ${target}`,
        ),
      );
    }
    if (!column.nullable) {
      actions.push(
        sql(
          `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(notNullCheckName(column.duplicate))} CHECK (${quoteIdent(column.duplicate)} IS NOT NULL) NOT VALID`,
          `add NOT VALID not-null check on ${target}`,
        ),
      );
    }
    if (column.comment !== null) {
      actions.push(
        sql(`COMMENT ON COLUMN ${table}.${quoteIdent(column.duplicate)} IS ${quoteLiteral(column.comment)}`, `comment on ${target}`),
      );
    }
  }
  for (const constraint of copiedChecksAndKeys(group)) {
    const statement = constraintCopySql(group, constraint);
    actions.push(
      sql(
        group.typeChanged ? tolerating(statement, [UNDEFINED_FUNCTION, FK_TYPE_MISMATCH, CANNOT_COERCE]) : statement,
        `copy constraint ${constraint.name} onto the duplicate columns`,
      ),
    );
  }
  return actions;
}

/**
 * Start, part 2 (outside transactions): unique and primary-key indexes and plain indexes,
 * rebuilt on the duplicates `CONCURRENTLY` so writers are never blocked.
 */
export function duplicateIndexesActions(group: ColumnGroupDuplicate): SqlAction[] {
  return [
    ...copiedUniqueKeys(group).map((constraint) =>
      sql(uniqueIndexSql(group, constraint), `build index for ${constraint.name} on the duplicate columns`, false),
    ),
    ...copiedPlainIndexes(group).map((index) =>
      sql(
        copyIndexSql(index.definition, duplicateConstraintName(index.name), renames(group)),
        `build copy of index ${index.name} on the duplicate columns`,
        false,
      ),
    ),
  ];
}

/** The model after start: each column now reads from its duplicate, with its new shape. */
export function withDuplicatedColumns(table: TableModel, group: ColumnGroupDuplicate): TableModel {
  const byOriginal = new Map(group.columns.map((column) => [column.original.physicalName, column]));
  const renamed = renames(group);
  const rename = (name: string): string => renamed.get(name) ?? name;
  return {
    ...table,
    columns: table.columns.map((column) => {
      const duplicate = column.hidden ? undefined : byOriginal.get(column.physicalName);
      if (!duplicate) return column;
      return {
        ...column,
        physicalName: duplicate.duplicate,
        type: duplicate.type,
        nullable: duplicate.nullable,
        default: duplicate.default,
        comment: duplicate.comment,
        identity: null,
        generated: null,
      };
    }),
    primaryKey: table.primaryKey.map(rename),
    constraints: table.constraints
      .filter((constraint) => !group.withoutConstraints.includes(constraint.name))
      .map((constraint) => ({ ...constraint, columns: constraint.columns.map(rename) })),
    indexes: table.indexes.map((index) => ({ ...index, columns: index.columns.map((column) => (column === null ? null : rename(column))) })),
  };
}
