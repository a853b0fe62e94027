import { ApplySqlStep, RevertSqlStep } from './orchestration/sql-steps';
import { TakeBackup } from './orchestration/backup-steps';
import { CompareWithBaselines, RunVerifyStep, TakeBaselines } from './orchestration/verification';
import { RunAnalysisStep, TakeMonitorBaseline } from './orchestration/monitor';
import { RequestRollback } from './orchestration/rollback';
import { RollbackApiStep, RunApiStep } from './orchestration/api-steps';
import { CompleteSchemaStep, RollbackSchemaStep, StartSchemaStep } from './schema-steps';

/**
 * Every command some service handles. The commands stream accepts exactly these subjects: a
 * publish to any other `cmd.*` subject finds no stream and is refused, instead of waiting in the
 * work queue for ever. A new command joins this list or nobody can send it.
 */
export const COMMAND_CATALOG = [
  RequestRollback,
  StartSchemaStep,
  CompleteSchemaStep,
  RollbackSchemaStep,
  ApplySqlStep,
  RevertSqlStep,
  TakeBaselines,
  CompareWithBaselines,
  RunVerifyStep,
  TakeBackup,
  TakeMonitorBaseline,
  RunAnalysisStep,
  RunApiStep,
  RollbackApiStep,
] as const;

export const COMMAND_NAMES: readonly string[] = COMMAND_CATALOG.map((command) => command.name);
