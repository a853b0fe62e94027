import type { CompensationStep } from '@bascule/contracts';
import { completeCommand, stepCommand } from '../process/step-commands';
import { compensationCommand } from '../rollback/rollback-commands';
import { findStep, type MigrationState } from '../state/migration-state';
import { bindLabelledCommand } from './bind-labelled-command';
import { bindMigrationCommand } from './bind-migration-command';
import { isLabelledClaim, isMigrationClaim, refused, type CommandBinding, type CommandClaim } from './command-claim';

/**
 * The command the migration's events asked for, rebuilt from its stored spec, or why there is none.
 * A command is bound when its migration exists and recorded sending exactly it: a `StepDispatched`
 * with this command id (start, apply, verify step, analysis step), a `MigrationCompleteRequested` and this step's
 * deterministic complete id (complete), this compensation in its `RollbackStarted` (rollback,
 * revert), the phase gate and restoration check its state calls for (baseline, compare:
 * bind-labelled-command.ts), or the monitor's baseline of a started migration with a `monitor`
 * (bind-migration-command.ts). The caller runs the returned payload, never the message's: a message
 * cannot bring its own SQL, operations, target, schema, tables or metrics, nor act on a migration that did not ask.
 */
export function bindCommand(state: MigrationState | null, claim: CommandClaim): CommandBinding {
  if (!state) return refused('unknown_migration', `no migration "${claim.migrationId}" is recorded`);
  if (isLabelledClaim(claim)) return bindLabelledCommand(state, claim);
  if (isMigrationClaim(claim)) return bindMigrationCommand(state, claim);
  const step = findStep(state, claim.stepId);
  if (!step) return refused('unknown_step', `migration "${state.id}" has no step "${claim.stepId}"`);
  switch (claim.name) {
    case 'schema.start':
    case 'sql.apply':
    case 'verify.step':
    case 'monitor.analyze':
    case 'api.start':
    case 'backup.take': {
      const command = step.commandId === claim.commandId ? stepCommand(state, step, claim.commandId) : null;
      if (!command || command.definition !== claim.name) {
        return refused('not_dispatched', `migration "${state.id}" did not dispatch ${claim.name} of step "${step.id}" as command ${claim.commandId}`);
      }
      return { bound: true, command };
    }
    case 'schema.complete': {
      if (!state.completeRequested) return refused('not_completing', `migration "${state.id}" is ${state.status}: nobody asked to complete it`);
      const command = step.kind === 'schema' ? completeCommand(state, step) : null;
      if (!command || command.commandId !== claim.commandId) {
        return refused('not_dispatched', `migration "${state.id}" did not ask to complete step "${step.id}" as command ${claim.commandId}`);
      }
      return { bound: true, command };
    }
    case 'schema.rollback':
    case 'sql.revert':
    case 'api.rollback': {
      const compensation = state.rollback?.compensation.find((entry: CompensationStep) => entry.stepId === step.id && entry.commandId === claim.commandId && entry.action === claim.name);
      if (!compensation) {
        return refused('not_in_rollback', `migration "${state.id}" has no rollback that compensates step "${step.id}" with ${claim.name} as command ${claim.commandId}`);
      }
      const { name, payload } = compensationCommand(state, compensation);
      return { bound: true, command: { definition: name, commandId: compensation.commandId, payload } };
    }
  }
}
