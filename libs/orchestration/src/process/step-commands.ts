import type { MigrationStep } from '@bascule/contracts';
import { deterministicId, PRE_MIGRATION_BASELINE } from '../ids/deterministic-id';
import type { MigrationState, StepState } from '../state/migration-state';
import type { DecidedCommand } from './process-decision';

/** The id of the command that runs a step: the same on every decision and after a restart. */
export const dispatchCommandId = (migrationId: string, stepId: string): string => deterministicId(migrationId, 'dispatch', stepId);

export function specStepOf(state: Pick<MigrationState, 'spec'>, step: Pick<StepState, 'id' | 'phaseIndex'>): MigrationStep {
  const found = state.spec.phases[step.phaseIndex]?.steps.find((candidate) => candidate.id === step.id);
  if (!found) throw new Error(`step "${step.id}" is not in phase ${step.phaseIndex} of the spec`);
  return found;
}

/**
 * The command that runs a step on its agent; approval steps have none (they wait for a REST
 * approval). Payloads follow the contracts (StartSchemaStep, ApplySqlStep, RunVerifyStep, RunAnalysisStep, TakeBackup).
 */
export function stepCommand(state: Pick<MigrationState, 'id' | 'target' | 'spec'>, step: StepState, commandId = step.commandId ?? dispatchCommandId(state.id, step.id)): DecidedCommand | null {
  const spec = specStepOf(state, step);
  const ref = { migrationId: state.id, stepId: step.id, target: state.target, commandId };
  if (spec.schema) {
    const { version_schema, operations, schema, backfill } = spec.schema;
    const migration = { ...(version_schema ? { version_schema } : {}), operations: operations ?? [] };
    return { definition: 'schema.start', commandId, payload: { ...ref, schema, migration, ...(backfill ? { backfill } : {}) } };
  }
  if (spec.sql) {
    return { definition: 'sql.apply', commandId, payload: { ...ref, up: spec.sql.up, ...(spec.sql.verify ? { verify: spec.sql.verify } : {}) } };
  }
  if (spec.verify) {
    const { tables = [], checksums, invariants = [] } = spec.verify;
    return { definition: 'verify.step', commandId, payload: { ...ref, tables, checksums, invariants, against: PRE_MIGRATION_BASELINE } };
  }
  // The monitor reads the duration and the metrics from the stored spec.
  if (spec.analysis) return { definition: 'monitor.analyze', commandId, payload: ref };
  // The api-agent reads the router, the versions and the canary from the stored spec.
  if (spec.api) return { definition: 'api.start', commandId, payload: ref };
  if (spec.backup) return { definition: 'backup.take', commandId, payload: { ...ref, tables: spec.backup.tables } };
  return null;
}

/** The command that contracts a schema step once the migration completes: one id per step, on every decision. */
export function completeCommand(state: Pick<MigrationState, 'id' | 'target' | 'spec'>, step: Pick<StepState, 'id' | 'phaseIndex'>): DecidedCommand {
  const commandId = deterministicId(state.id, 'complete', step.id);
  const schema = specStepOf(state, step).schema?.schema ?? 'public';
  return { definition: 'schema.complete', commandId, payload: { migrationId: state.id, stepId: step.id, target: state.target, schema, commandId } };
}
