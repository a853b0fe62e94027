/**
 * For the rules whose risk Bascule's own operations remove, the operation to use instead. squawk's
 * help says how to do it by hand; this says how to do it with a migration file.
 */
export const SAFE_ALTERNATIVES: Readonly<Record<string, string>> = {
  'changing-column-type': 'use alter_column with type, up and down: a duplicate column is backfilled and swapped in at complete',
  'adding-required-field': 'use add_column with a default or an up expression: NOT NULL is added as a NOT VALID check and validated at complete',
  'adding-not-nullable-field': 'use alter_column with nullable: false and an up expression: the NOT NULL is checked NOT VALID first, validated at complete',
  'adding-foreign-key-constraint': 'use create_constraint (type foreign_key) or alter_column references: added NOT VALID, validated at complete',
  'constraint-missing-not-valid': 'use create_constraint: constraints are added NOT VALID and validated at complete',
  'disallowed-unique-constraint': 'use create_constraint (type unique) or create_index with unique: true: the index is built concurrently first',
  'require-concurrent-index-creation': 'use create_index: indexes are built CONCURRENTLY',
  'require-concurrent-index-deletion': 'use drop_index: indexes are dropped CONCURRENTLY',
  'renaming-column': 'use rename_column: the new version sees the new name at once, the physical rename waits for complete',
  'renaming-table': 'use rename_table: the new version sees the new name at once, the physical rename waits for complete',
  'ban-drop-column': 'use drop_column: the column disappears from the new version first and is dropped at complete',
  'ban-drop-table': 'use drop_table: the table disappears from the new version first and is dropped at complete',
  'ban-drop-not-null': 'use alter_column with nullable: true',
  'adding-serial-primary-key-field': 'create the key column with create_table, or add it with add_column and backfill, then create_constraint (type primary_key)',
};
