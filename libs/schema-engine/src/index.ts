export { SchemaEngine, type StartResult } from './engine/schema-engine';
export type { PhaseOptions, SchemaEngineOptions, StartOptions } from './engine/engine-options';
export type { MigrationPlan, PlannedStep } from './engine/migration-plan';
export type { MigrateOutcome } from './engine/migrate-directory';
export { migrationFilesIn } from './engine/migrate-directory';
export type { MigrationSummary, SchemaStatus } from './engine/schema-status';
export type { StartOutcome } from './runner/start-migration';
export type { FinishOutcome } from './runner/complete-migration';
export type { ActionEvent, EngineCallbacks } from './runner/phase-context';

export { parseMigration, parseMigrationText } from './format/parse-migration';
export { loadSqlParser } from './format/sql-parser';
export { loadMigrationFile, migrationNameOf, MIGRATION_FILE_EXTENSIONS } from './format/load-migration-file';
export { versionSchemaName } from './format/migration';
export type { Migration, MigrationOperation } from './format/migration';

export * from './errors';
export { introspect } from './introspection/introspect';
export type { Queryable } from './introspection/queryable';
export { operationRegistry, operationKinds } from './operations/registry';
export type {
  Action,
  BackfillAction,
  OperationContext,
  OperationDefinition,
  SqlAction,
  StartPlan,
  ValidationIssue,
} from './operations/operation';
export type {
  ColumnModel,
  ConstraintModel,
  ConstraintType,
  IndexModel,
  SchemaModel,
  TableModel,
} from './model/schema-model';
export type { BackfillOptions, BackfillProgress, BatchFigures } from './backfill/backfill-progress';
export { DEFAULT_BACKFILL_OPTIONS } from './backfill/backfill-progress';
export type { LockRetryPolicy } from './execution/lock-retry-policy';
export { DEFAULT_LOCK_RETRY_POLICY } from './execution/lock-retry-policy';
export type { BackfillCheckpoint, MigrationRecord, MigrationStatus } from './state/migration-record';
export { DEFAULT_STATE_SCHEMA } from './state/state-schema';
export { quoteIdent, qualified, quoteLiteral, MAX_IDENTIFIER_BYTES } from './sql/identifiers';
export { lintMigration, type MigrationLintFinding } from './engine/lint-migration';
export type { LintFinding } from './lint/lint-finding';
export { lintSql, type LintOptions } from './lint/lint-sql';
export { duplicateColumnName } from './operations/shared/internal-names';
