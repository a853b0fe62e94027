import type { Migration } from '../format/migration';
import type { SchemaModel } from '../model/schema-model';
import type { Action, OperationContext, ValidationIssue } from '../operations/operation';

export interface PlannedOperation {
  index: number;
  kind: string;
  /** The model this operation saw (stored with the migration for complete/rollback). */
  seen: SchemaModel;
  actions: Action[];
  after: SchemaModel;
}

export interface StartPlanning {
  operations: PlannedOperation[];
  finalModel: SchemaModel;
  issues: ValidationIssue[];
}

export interface MigrationNames {
  schema: string;
  versionSchema: string;
}

export function contextFor(migration: Migration, names: MigrationNames, model: SchemaModel, index: number): OperationContext {
  return { schema: names.schema, migrationName: migration.name, versionSchema: names.versionSchema, model, index };
}

/** An operation that throws while planning is a bug or an input it did not foresee: report it, do not crash. */
function thrownIssue(index: number, kind: string, error: unknown): ValidationIssue {
  return { path: `operations[${index}].${kind}`, code: 'invalid_operation', message: (error as Error).message };
}

/**
 * Validates every operation against the model the ones before it leave, and plans its start.
 * An invalid operation leaves the model unchanged and validation goes on, so one run reports every
 * problem (a later operation that depended on the invalid one may report a follow-on issue).
 */
export function planStart(migration: Migration, names: MigrationNames, model: SchemaModel): StartPlanning {
  const issues: ValidationIssue[] = [];
  const operations: PlannedOperation[] = [];
  let current = model;
  migration.operations.forEach((operation, index) => {
    const ctx = contextFor(migration, names, current, index);
    try {
      const found = operation.definition.validate(operation.body, ctx);
      if (found.length > 0) {
        issues.push(...found);
        return;
      }
      const plan = operation.definition.start(operation.body, ctx);
      operations.push({ index, kind: operation.kind, seen: current, actions: plan.actions, after: plan.model });
      current = plan.model;
    } catch (error) {
      issues.push(thrownIssue(index, operation.kind, error));
    }
  });
  return { operations, finalModel: current, issues };
}
