import type { EquivalenceCheck } from '@bascule/contracts';
import { baselineLabel, deterministicId, phaseCheckLabel } from '../ids/deterministic-id';
import type { MigrationState, PhaseState } from '../state/migration-state';
import type { DecidedCommand } from './process-decision';

/** Tables baselined before each phase and compared after it: the plan's tables that exist on the target. */
export function gatedTables(state: Pick<MigrationState, 'plan'>): string[] {
  return state.plan.tables.filter((table) => table.exists).map((table) => table.table);
}

export function baselineCommand(state: Pick<MigrationState, 'id' | 'target' | 'plan'>, phaseIndex: number): DecidedCommand {
  const label = baselineLabel(phaseIndex);
  const commandId = deterministicId(state.id, 'baseline', label);
  const fingerprint = state.plan.tables.map((table) => table.table);
  return { definition: 'verify.baseline', commandId, payload: { migrationId: state.id, target: state.target, commandId, label, tables: gatedTables(state), fingerprint } };
}

/**
 * The phase's verification gate: nothing baselined may be lost (`no-loss`: live writes may add or
 * change rows), and every backfilled column must equal its `up` of the old one.
 */
export function compareCommand(state: Pick<MigrationState, 'id' | 'target' | 'spec'>, phase: PhaseState): DecidedCommand {
  const label = phaseCheckLabel(phase.index);
  const commandId = deterministicId(state.id, 'compare', label);
  return {
    definition: 'verify.compare',
    commandId,
    payload: {
      migrationId: state.id,
      target: state.target,
      commandId,
      label,
      against: baselineLabel(phase.index),
      mode: 'no-loss',
      equivalence: equivalenceChecks(state, phase.index),
      sample: 'full',
    },
  };
}

/** Every `alter_column` with an `up` among the phase's schema steps, named as the new version names it. */
export function equivalenceChecks(state: Pick<MigrationState, 'spec'>, phaseIndex: number): EquivalenceCheck[] {
  const checks: EquivalenceCheck[] = [];
  for (const step of state.spec.phases[phaseIndex]?.steps ?? []) {
    const schema = step.schema;
    for (const operation of schema?.operations ?? []) {
      const alter = operation['alter_column'] as { table?: unknown; column?: unknown; name?: unknown; up?: unknown } | undefined;
      if (!alter || typeof alter.table !== 'string' || typeof alter.column !== 'string' || typeof alter.up !== 'string') continue;
      const table = schema?.schema && schema.schema !== 'public' ? `${schema.schema}.${alter.table}` : alter.table;
      const column = typeof alter.name === 'string' ? alter.name : alter.column;
      checks.push({ table, column, up: alter.up, stepId: step.id });
    }
  }
  return checks;
}
