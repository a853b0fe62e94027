import { createHash } from 'node:crypto';
import { MAX_IDENTIFIER_BYTES } from '../../sql/identifiers';

/**
 * Names of the objects the engine adds while a migration is active. They must be deterministic
 * (complete and rollback rebuild them from the operation alone, possibly in another process) and
 * fit Postgres's 63-byte limit: a longer name would be silently truncated, and two long names
 * could then collide. So a name that does not fit keeps as much of its readable prefix as fits and
 * ends with a hash of the full name.
 */
const HASH_LENGTH = 10;

export function fitIdentifier(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  const budget = MAX_IDENTIFIER_BYTES - HASH_LENGTH - 1;
  let prefix = '';
  for (const character of name) {
    if (Buffer.byteLength(prefix + character, 'utf8') > budget) break;
    prefix += character;
  }
  return `${prefix}_${hash}`;
}

/** The physical column that carries a column's new shape while old and new versions coexist. */
export const DUPLICATE_PREFIX = '_bascule_new_';

export function duplicateColumnName(column: string): string {
  return fitIdentifier(`${DUPLICATE_PREFIX}${column}`);
}

/** A copy of an existing constraint or index, made on the duplicate column; renamed back at complete. */
export function duplicateConstraintName(name: string): string {
  return fitIdentifier(`_bascule_dup_${name}`);
}

/** The NOT VALID `CHECK (col IS NOT NULL)` that stands in for NOT NULL until complete. */
export function notNullCheckName(physicalColumn: string): string {
  return fitIdentifier(`_bascule_nn_${physicalColumn}`);
}

/** The two sync triggers of one operation: one per direction, each named like its function. */
export interface SyncTriggerNames {
  fromOld: string;
  fromNew: string;
}

const MAX_OPERATIONS = 1000;

/**
 * Postgres fires the BEFORE triggers of a table in name order, and operations of one migration
 * build on each other. An old-version write must be translated forward, operation by operation
 * (a later `up` may read a column an earlier one fills), so those triggers sort by operation
 * index; a new-version write must be translated backward (an earlier `down` may read an old
 * column a later operation fills from its duplicate), so those sort by reverse index.
 */
export function syncTriggerNames(table: string, migration: string, operationIndex: number): SyncTriggerNames {
  if (operationIndex < 0 || operationIndex >= MAX_OPERATIONS) throw new Error(`operation index ${operationIndex} out of range`);
  const pad = (n: number) => String(n).padStart(3, '0');
  return {
    fromOld: fitIdentifier(`_bascule_up_${pad(operationIndex)}_${table}_${migration}`),
    fromNew: fitIdentifier(`_bascule_down_${pad(MAX_OPERATIONS - 1 - operationIndex)}_${table}_${migration}`),
  };
}
