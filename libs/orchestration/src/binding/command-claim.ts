import type { CommandRejected, MessageData } from '@bascule/contracts';
import type { DecidedCommand } from '../process/process-decision';

/** Commands that name a step of their migration. */
export const STEP_COMMANDS = ['schema.start', 'schema.complete', 'schema.rollback', 'sql.apply', 'sql.revert', 'verify.step'] as const;
/** The data-verifier's baselines and comparisons: they name a label (`before-phase-0`, `restoration`), not a step. */
export const LABELLED_COMMANDS = ['verify.baseline', 'verify.compare'] as const;
/** Commands an agent runs against a target: each must be one the migration's own events asked for. */
export const BOUND_COMMANDS = [...STEP_COMMANDS, ...LABELLED_COMMANDS] as const;

export type StepCommandName = (typeof STEP_COMMANDS)[number];
export type LabelledCommandName = (typeof LABELLED_COMMANDS)[number];
export type BoundCommandName = StepCommandName | LabelledCommandName;

/** What a message claims to be: only these fields of it are trusted, and only to look the command up. */
export type CommandClaim = StepClaim | LabelledClaim;

export interface StepClaim {
  name: StepCommandName;
  migrationId: string;
  stepId: string;
  commandId: string;
}

export interface LabelledClaim {
  name: LabelledCommandName;
  migrationId: string;
  label: string;
  commandId: string;
}

/** The fields a message of command `N` names: a step, or a label. */
export type ClaimFields<N extends BoundCommandName> = Omit<N extends LabelledCommandName ? LabelledClaim : StepClaim, 'name'>;

export const isLabelledCommand = (name: BoundCommandName): name is LabelledCommandName => (LABELLED_COMMANDS as readonly string[]).includes(name);
export const isLabelledClaim = (claim: CommandClaim): claim is LabelledClaim => isLabelledCommand(claim.name);

/**
 * The claim a message of command `name` makes, and nothing else of it: its migration, its command id
 * and the step or label it names (missing: empty, which names nothing and is refused).
 */
export function commandClaim(name: BoundCommandName, message: { migrationId: string; commandId: string; stepId?: string; label?: string }): CommandClaim {
  const { migrationId, commandId } = message;
  if (isLabelledCommand(name)) return { name, migrationId, commandId, label: message.label ?? '' };
  return { name, migrationId, commandId, stepId: message.stepId ?? '' };
}

export type CommandRejectionCode = MessageData<typeof CommandRejected>['code'];

export type CommandBinding =
  | { bound: true; command: DecidedCommand }
  | { bound: false; code: CommandRejectionCode; message: string };

export const refused = (code: CommandRejectionCode, message: string): CommandBinding => ({ bound: false, code, message });
