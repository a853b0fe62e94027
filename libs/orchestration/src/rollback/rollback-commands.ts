import type { CompensationStep } from '@bascule/contracts';
import { deterministicId, PRE_MIGRATION_BASELINE, RESTORATION_LABEL } from '../ids/deterministic-id';
import type { MigrationState } from '../state/migration-state';

export type CompensationCommand =
  | { name: 'schema.rollback'; payload: { migrationId: string; stepId: string; target: string; schema: string; commandId: string } }
  | { name: 'sql.revert'; payload: { migrationId: string; stepId: string; target: string; commandId: string; down: string } }
  | { name: 'api.rollback'; payload: { migrationId: string; stepId: string; target: string; commandId: string } };

/** The command that undoes one step, built from the spec recorded in MigrationPlanned. */
export function compensationCommand(state: Pick<MigrationState, 'id' | 'target' | 'spec'>, compensation: CompensationStep): CompensationCommand {
  const step = state.spec.phases.flatMap((phase) => phase.steps).find((candidate) => candidate.id === compensation.stepId);
  if (!step) throw new Error(`step "${compensation.stepId}" is not in migration ${state.id}'s spec`);
  const ref = { migrationId: state.id, stepId: step.id, target: state.target, commandId: compensation.commandId };
  if (compensation.action === 'schema.rollback') return { name: 'schema.rollback', payload: { ...ref, schema: step.schema?.schema ?? 'public' } };
  // The api-agent reads the router and the versions from the stored spec.
  if (compensation.action === 'api.rollback') return { name: 'api.rollback', payload: ref };
  if (!step.sql?.down) throw new Error(`step "${step.id}" has no down: it cannot be reverted`);
  return { name: 'sql.revert', payload: { ...ref, down: step.sql.down } };
}

/**
 * After MigrationRolledBack: compare the tables with the pre-migration baseline (`no-loss`: writes
 * made meanwhile through the old version are expected; `tables[].equal` says whether they are
 * identical) and their schema fingerprint (`schema`: the shape must be exactly the one before).
 * Null when no baseline was taken (the migration touched no existing table).
 */
export function restorationCheck(state: Pick<MigrationState, 'id' | 'target' | 'baselines' | 'rollback'>) {
  if (!state.baselines.has(PRE_MIGRATION_BASELINE)) return null;
  return {
    migrationId: state.id,
    target: state.target,
    // One per rollback attempt: a retried rollback is checked again (the first check's id is spent).
    commandId: deterministicId(state.id, 'verify.compare', RESTORATION_LABEL, state.rollback?.receivedAt.toISOString() ?? 'none'),
    label: RESTORATION_LABEL,
    against: PRE_MIGRATION_BASELINE,
    mode: 'no-loss' as const,
    equivalence: [],
    sample: 'full' as const,
    schema: true,
  };
}
