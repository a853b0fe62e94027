import type { OperationContext, ValidationIssue } from '../operation';
import { findColumn, findTable, type SchemaModel, type TableModel } from '../../model/schema-model';
import { sqlExpressionProblem, sqlTypeProblem } from '../../format/sql-parser';
import { DUPLICATE_PREFIX } from './internal-names';

/** `operations[3].alter_column` + `up` → `operations[3].alter_column.up`. */
export function fieldPath(ctx: OperationContext, kind: string, field?: string): string {
  return field === undefined ? `operations[${ctx.index}].${kind}` : `operations[${ctx.index}].${kind}.${field}`;
}

export function issue(path: string, code: string, message: string): ValidationIssue {
  return { path, code, message };
}

/** An SQL expression the author wrote (`up`, `down`, default, check), parsed before it is embedded anywhere. */
export function expressionIssues(path: string, expression: string | null | undefined, what = 'expression'): ValidationIssue[] {
  if (expression === undefined || expression === null) return [];
  const problem = sqlExpressionProblem(expression);
  return problem === null ? [] : [issue(path, 'invalid_expression', `${what} ${problem}`)];
}

export function typeIssues(path: string, type: string | undefined): ValidationIssue[] {
  if (type === undefined) return [];
  const problem = sqlTypeProblem(type);
  return problem === null ? [] : [issue(path, 'invalid_type', `type ${JSON.stringify(type)} ${problem}`)];
}

export function tableOrIssue(
  model: SchemaModel,
  name: string,
  path: string,
): { table: TableModel; issues: [] } | { table: null; issues: ValidationIssue[] } {
  const table = findTable(model, name);
  if (table) return { table, issues: [] };
  return { table: null, issues: [issue(path, 'table_not_found', `table "${name}" does not exist in schema "${model.schema}"`)] };
}

export function constraintNameTaken(table: TableModel, name: string): boolean {
  return table.constraints.some((constraint) => constraint.name === name) || table.indexes.some((index) => index.name === name);
}

/**
 * Why columns of `table` cannot be duplicated (the technique behind alter_column,
 * create_constraint and the drop-constraint operations), one issue per column:
 * - a stored generated or identity column cannot be written by the sync triggers the way a
 *   duplicate needs (not supported yet: change it with raw `sql`);
 * - a column in an EXCLUDE constraint would lose the constraint at complete;
 * - a column another table's foreign key references cannot be dropped at complete.
 */
export function duplicationIssues(
  model: SchemaModel,
  table: TableModel,
  columns: string[],
  path: string,
  droppedConstraint?: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of columns) {
    const column = findColumn(table, name);
    if (!column) continue;
    if (column.physicalName.startsWith(DUPLICATE_PREFIX)) {
      issues.push(
        issue(
          path,
          'column_already_changed',
          `column "${name}" of "${table.name}" is already changed by an earlier operation of this migration; ` +
            'put both changes in one operation or in separate migrations',
        ),
      );
      continue;
    }
    if (column.generated !== null || column.identity !== null) {
      issues.push(
        issue(
          path,
          'unsupported_column',
          `column "${name}" of "${table.name}" is ${column.generated !== null ? 'a generated' : 'an identity'} column; ` +
            'changing it through a duplicate column is not supported (use an `sql` migration)',
        ),
      );
    }
    if (
      table.constraints.some(
        (constraint) => constraint.type === 'exclude' && constraint.name !== droppedConstraint && constraint.columns.includes(column.physicalName),
      )
    ) {
      issues.push(issue(path, 'unsupported_constraint', `column "${name}" of "${table.name}" is part of an EXCLUDE constraint, which a duplicate column cannot carry over`));
    }
    issues.push(...referencedColumnIssues(model, table, column.name, path, droppedConstraint));
  }
  return issues;
}

/**
 * Checks a per-column expression map (`up`/`down` of create_constraint and the drop-constraint
 * operations): every key is one of `columns`, every expression parses, and, when `required`,
 * every column has one.
 */
export function columnExpressionIssues(
  path: string,
  expressions: Record<string, string> | undefined,
  columns: string[],
  required: boolean,
): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const [column, expression] of Object.entries(expressions ?? {})) {
    if (!columns.includes(column)) {
      found.push(issue(`${path}.${column}`, 'unknown_column', `"${column}" is not one of the constraint's columns (${columns.join(', ')})`));
    }
    found.push(...expressionIssues(`${path}.${column}`, expression, `expression for "${column}"`));
  }
  if (required) {
    for (const column of columns) {
      if (expressions?.[column] === undefined) {
        found.push(issue(`${path}.${column}`, 'field_required', `an SQL expression for column "${column}" is required`));
      }
    }
  }
  return found;
}

/**
 * A column another table's foreign key references cannot be dropped at complete (Postgres would
 * need CASCADE, which would silently drop that foreign key).
 */
export function referencedColumnIssues(
  model: SchemaModel,
  table: TableModel,
  name: string,
  path: string,
  droppedConstraint?: string,
): ValidationIssue[] {
  const column = findColumn(table, name);
  if (!column) return [];
  const referencing = model.tables.flatMap((other) =>
    other.constraints.filter(
      (constraint) =>
        constraint.type === 'foreign_key' &&
        !(other.physicalName === table.physicalName && constraint.name === droppedConstraint) &&
        constraint.references?.schema === model.schema &&
        constraint.references.table === table.physicalName &&
        constraint.references.columns.includes(column.physicalName),
    ),
  );
  if (referencing.length === 0) return [];
  return [
    issue(
      path,
      'column_referenced',
      `column "${name}" of "${table.name}" is referenced by foreign key ${referencing.map((c) => `"${c.name}"`).join(', ')}; ` +
        'drop that foreign key first, since the old column is dropped at complete',
    ),
  ];
}
