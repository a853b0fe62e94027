import {
  ApplySqlStep,
  CompareWithBaselines,
  CompleteSchemaStep,
  RunAnalysisStep,
  RunApiStep,
  RunVerifyStep,
  StartSchemaStep,
  TakeBackup,
  TakeBaselines,
  TakeMonitorBaseline,
} from '@bascule/contracts';

/** The contracts of the commands the process manager sends: BusClient validates each payload against its own. */
export const PROCESS_COMMANDS = new Map<string, { name: string; schema: import('zod').ZodType }>(
  [StartSchemaStep, CompleteSchemaStep, ApplySqlStep, RunVerifyStep, TakeBaselines, CompareWithBaselines, TakeMonitorBaseline, RunAnalysisStep, RunApiStep, TakeBackup].map((definition) => [definition.name, definition]),
);
