import { phaseStepsSucceeded } from '../decisions/ready-steps';
import { baselineLabel, phaseCheckLabel, RESTORATION_LABEL } from '../ids/deterministic-id';
import { baselineCommand, compareCommand, gatedTables } from '../process/phase-gate';
import { restorationCheck } from '../rollback/rollback-commands';
import type { MigrationState } from '../state/migration-state';
import { refused, type CommandBinding, type LabelledClaim } from './command-claim';

/**
 * `verify.baseline` and `verify.compare` bound to what the process manager and the rollback-manager
 * send: the baseline before a phase once the phase started, the comparison after it once every step
 * of the phase succeeded, and the restoration check once its rollback finished. The label
 * names which one; the command id must be that one's deterministic id.
 */
export function bindLabelledCommand(state: MigrationState, claim: LabelledClaim): CommandBinding {
  const asked = claim.name === 'verify.baseline' ? askedBaseline(state, claim.label) : askedComparison(state, claim.label);
  if (asked.bound && asked.command.commandId !== claim.commandId) {
    return refused('not_dispatched', `migration "${state.id}" did not send ${claim.name} "${claim.label}" as command ${claim.commandId}`);
  }
  return asked;
}

function askedBaseline(state: MigrationState, label: string): CommandBinding {
  const phase = state.phases.find((candidate) => baselineLabel(candidate.index) === label);
  if (!phase) return refused('unknown_label', `migration "${state.id}" takes no baseline labelled "${label}"`);
  if (phase.status === 'pending') return refused('phase_not_started', `phase "${phase.name}" of migration "${state.id}" has not started: nobody asked for its baseline`);
  if (gatedTables(state).length === 0) return refused('not_dispatched', `the plan of migration "${state.id}" gates no existing table: it takes no baseline`);
  return { bound: true, command: baselineCommand(state, phase.index) };
}

function askedComparison(state: MigrationState, label: string): CommandBinding {
  if (label === RESTORATION_LABEL) return askedRestorationCheck(state);
  const phase = state.phases.find((candidate) => phaseCheckLabel(candidate.index) === label);
  if (!phase) return refused('unknown_label', `migration "${state.id}" makes no comparison labelled "${label}"`);
  if (phase.status === 'pending') return refused('phase_not_started', `phase "${phase.name}" of migration "${state.id}" has not started: nobody asked for its check`);
  // The process manager checks a phase only once all its steps succeeded (decide-next.ts).
  if (!phaseStepsSucceeded(phase)) return refused('phase_unfinished', `not every step of phase "${phase.name}" of migration "${state.id}" has succeeded: nobody asked for its check`);
  if (gatedTables(state).length === 0) return refused('not_dispatched', `the plan of migration "${state.id}" gates no existing table: it makes no comparison`);
  return { bound: true, command: compareCommand(state, phase) };
}

function askedRestorationCheck(state: MigrationState): CommandBinding {
  // MigrationRolledBack sets finishedAt; a rollback started again (after a failed one) clears it.
  if (!state.rollback?.finishedAt) return refused('not_rolled_back', `migration "${state.id}" is ${state.status}: no rollback finished, there is no restoration to check`);
  const check = restorationCheck(state);
  if (!check) return refused('not_dispatched', `migration "${state.id}" took no pre-migration baseline: the rollback-manager checks no restoration`);
  return { bound: true, command: { definition: 'verify.compare', commandId: check.commandId, payload: check } };
}
