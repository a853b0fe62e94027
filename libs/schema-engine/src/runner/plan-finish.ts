import type { Migration } from '../format/migration';
import type { SchemaModel } from '../model/schema-model';
import { dropVersionSchemaAction } from '../execution/version-schema';
import { contextFor, type MigrationNames } from './plan-start';
import type { LocatedAction } from './run-actions';

export interface FinishInput {
  migration: Migration;
  names: MigrationNames;
  /** The model each operation saw at start. */
  opModels: SchemaModel[];
  previousVersionSchema: string | null;
}

/**
 * Complete: first drop the previous version schema (its views still reference the columns the
 * operations are about to drop or rename away), then every operation's complete, in order.
 */
export function planComplete(input: FinishInput): LocatedAction[] {
  const { migration, names, opModels, previousVersionSchema } = input;
  const actions: LocatedAction[] = [];
  if (previousVersionSchema && previousVersionSchema !== names.versionSchema) {
    actions.push({
      location: { migration: migration.name, phase: 'version_schema', index: null, kind: null },
      action: dropVersionSchemaAction(previousVersionSchema, 'the previous version'),
    });
  }
  migration.operations.forEach((operation, index) => {
    const ctx = contextFor(migration, names, opModels[index], index);
    for (const action of operation.definition.complete(operation.body, ctx)) {
      actions.push({ location: { migration: migration.name, phase: 'complete', index, kind: operation.kind }, action });
    }
  });
  return actions;
}

export interface RollbackInput extends FinishInput {
  /** Operations whose start ran to the end. */
  startedOps: number;
  /** True when operation `startedOps` may have run part of its start (a crash or failure mid-way). */
  partial: boolean;
}

/**
 * Rollback: drop the new version schema first (its views depend on the columns start added), then
 * undo the operations in reverse order. A half-started operation's undo ignores "does not exist".
 */
export function planRollback(input: RollbackInput): LocatedAction[] {
  const { migration, names, opModels, startedOps, partial } = input;
  const actions: LocatedAction[] = [
    {
      location: { migration: migration.name, phase: 'version_schema', index: null, kind: null },
      action: dropVersionSchemaAction(names.versionSchema, 'rollback'),
    },
  ];
  const last = Math.min(partial ? startedOps : startedOps - 1, migration.operations.length - 1);
  for (let index = last; index >= 0; index--) {
    const operation = migration.operations[index];
    const ctx = contextFor(migration, names, opModels[index], index);
    for (const action of operation.definition.rollback(operation.body, ctx)) {
      actions.push({
        location: { migration: migration.name, phase: 'rollback', index, kind: operation.kind },
        action,
        tolerateMissing: partial && index === startedOps,
      });
    }
  }
  return actions;
}
