import type { ConstraintModel, IndexModel } from '../../model/schema-model';
import { qualified, quoteIdent } from '../../sql/identifiers';
import type { ColumnGroupDuplicate } from './column-duplicate';
import { keywordTokenIndex, renameColumnReferences, withoutNotValid } from './column-references';
import { copyIndexSql } from './index-copy';
import { duplicateConstraintName } from './internal-names';

/**
 * Which constraints and indexes follow duplicated columns, and the statements that rebuild them
 * on the duplicates. Dropping the old columns at complete drops every constraint and index that
 * uses them, so each one must exist on the duplicates by then.
 */
export function renames(group: ColumnGroupDuplicate): Map<string, string> {
  return new Map(group.columns.map((column) => [column.original.physicalName, column.duplicate]));
}

function touches(group: ColumnGroupDuplicate, columns: ReadonlyArray<string | null>): boolean {
  return group.columns.some((column) => columns.includes(column.original.physicalName));
}

export function copiedChecksAndKeys(group: ColumnGroupDuplicate): ConstraintModel[] {
  return group.table.constraints.filter(
    (constraint) =>
      (constraint.type === 'check' || constraint.type === 'foreign_key') &&
      !group.withoutConstraints.includes(constraint.name) &&
      touches(group, constraint.columns),
  );
}

export function copiedUniqueKeys(group: ColumnGroupDuplicate): ConstraintModel[] {
  return group.table.constraints.filter(
    (constraint) =>
      (constraint.type === 'unique' || constraint.type === 'primary_key') &&
      !group.withoutConstraints.includes(constraint.name) &&
      touches(group, constraint.columns),
  );
}

/** Indexes that are not a constraint's and mention a duplicated column (expression indexes too). */
export function copiedPlainIndexes(group: ColumnGroupDuplicate): IndexModel[] {
  const renamed = renames(group);
  return group.table.indexes.filter(
    (index) =>
      index.constraint === null &&
      (touches(group, index.columns) ||
        renameColumnReferences(index.definition, renamed, { fromToken: keywordTokenIndex(index.definition, 'using') + 1 }) !==
          index.definition),
  );
}

export function constraintCopySql(group: ColumnGroupDuplicate, constraint: ConstraintModel): string {
  const definition = withoutNotValid(constraint.definition);
  // A foreign key's referenced columns live in the other table: rename only before REFERENCES.
  const toToken = constraint.type === 'foreign_key' ? keywordTokenIndex(definition, 'references') : undefined;
  const rewritten = renameColumnReferences(definition, renames(group), toToken === undefined ? {} : { toToken });
  return `ALTER TABLE ${qualified(group.schema, group.table.physicalName)} ADD CONSTRAINT ${quoteIdent(duplicateConstraintName(constraint.name))} ${rewritten} NOT VALID`;
}

export function uniqueIndexSql(group: ColumnGroupDuplicate, constraint: ConstraintModel): string {
  const backing = group.table.indexes.find((index) => index.constraint === constraint.name);
  const name = duplicateConstraintName(constraint.name);
  if (backing) return copyIndexSql(backing.definition, name, renames(group));
  const columns = constraint.columns.map((column) => quoteIdent(renames(group).get(column) ?? column)).join(', ');
  return `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${qualified(group.schema, group.table.physicalName)} (${columns})`;
}
