import { addColumn } from './add-column';
import { alterColumn } from './alter-column';
import { createConstraint } from './create-constraint';
import { createIndex } from './create-index';
import { createTable } from './create-table';
import { dropColumn } from './drop-column';
import { dropConstraint } from './drop-constraint';
import { dropIndex } from './drop-index';
import { dropMulticolumnConstraint } from './drop-multicolumn-constraint';
import { dropTable } from './drop-table';
import type { OperationDefinition } from './operation';
import { renameColumn } from './rename-column';
import { renameConstraint } from './rename-constraint';
import { renameTable } from './rename-table';
import { setReplicaIdentity } from './set-replica-identity';
import { sql } from './sql';

// Each definition is typed by its own body; the registry erases that (the parser checks the body
// with the definition's own schema before any phase sees it).
const definitions = [
  addColumn,
  alterColumn,
  createConstraint,
  createIndex,
  createTable,
  dropColumn,
  dropConstraint,
  dropIndex,
  dropMulticolumnConstraint,
  dropTable,
  renameColumn,
  renameConstraint,
  renameTable,
  setReplicaIdentity,
  sql,
] as unknown as ReadonlyArray<OperationDefinition<string, unknown>>;

/**
 * Every operation the engine knows, by its key in the migration file. An operation joins the
 * format by being listed here; the parser reports any other key as `unknown_operation`.
 */
export const operationRegistry: ReadonlyMap<string, OperationDefinition<string, unknown>> = new Map(
  definitions.map((definition) => [definition.kind, definition]),
);

export function operationKinds(): string[] {
  return [...operationRegistry.keys()].sort();
}
