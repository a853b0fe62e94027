import type { CommandRejected, MessageData } from '@bascule/contracts';
import type { DecidedCommand } from '../process/process-decision';

/** Commands that name a step of their migration. */
export const STEP_COMMANDS = ['schema.start', 'schema.complete', 'schema.rollback', 'sql.apply', 'sql.revert', 'verify.step', 'monitor.analyze', 'api.start', 'api.rollback', 'backup.take'] as const;
/** The data-verifier's baselines and comparisons: they name a label (`before-phase-0`, `restoration`), not a step. */
export const LABELLED_COMMANDS = ['verify.baseline', 'verify.compare'] as const;
/** Commands a migration sends once: they name only the migration (the monitor's baseline). */
export const MIGRATION_COMMANDS = ['monitor.baseline'] as const;
/** Commands an agent runs against a target: each must be one the migration's own events asked for. */
export const BOUND_COMMANDS = [...STEP_COMMANDS, ...LABELLED_COMMANDS, ...MIGRATION_COMMANDS] as const;

export type StepCommandName = (typeof STEP_COMMANDS)[number];
export type LabelledCommandName = (typeof LABELLED_COMMANDS)[number];
export type MigrationCommandName = (typeof MIGRATION_COMMANDS)[number];
export type BoundCommandName = StepCommandName | LabelledCommandName | MigrationCommandName;

/** What a message claims to be: only these fields of it are trusted, and only to look the command up. */
export type CommandClaim = StepClaim | LabelledClaim | MigrationClaim;

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

export interface MigrationClaim {
  name: MigrationCommandName;
  migrationId: string;
  commandId: string;
}

/** The fields a message of command `N` names: a step, a label, or only its migration. */
export type ClaimFields<N extends BoundCommandName> = Omit<N extends LabelledCommandName ? LabelledClaim : N extends MigrationCommandName ? MigrationClaim : StepClaim, 'name'>;

export const isLabelledCommand = (name: BoundCommandName): name is LabelledCommandName => (LABELLED_COMMANDS as readonly string[]).includes(name);
export const isLabelledClaim = (claim: CommandClaim): claim is LabelledClaim => isLabelledCommand(claim.name);
export const isMigrationCommand = (name: BoundCommandName): name is MigrationCommandName => (MIGRATION_COMMANDS as readonly string[]).includes(name);
export const isMigrationClaim = (claim: CommandClaim): claim is MigrationClaim => isMigrationCommand(claim.name);

/**
 * The claim a message of command `name` makes, and nothing else of it: its migration, its command id
 * and the step or label it names (missing: empty, which names nothing and is refused).
 */
export function commandClaim(name: BoundCommandName, message: { migrationId: string; commandId: string; stepId?: string; label?: string }): CommandClaim {
  const { migrationId, commandId } = message;
  if (isLabelledCommand(name)) return { name, migrationId, commandId, label: message.label ?? '' };
  if (isMigrationCommand(name)) return { name, migrationId, commandId };
  return { name, migrationId, commandId, stepId: message.stepId ?? '' };
}

/** The step or label a claim names, for a log line or a rejection; empty for a command naming only its migration. */
export function claimSubject(claim: CommandClaim): { stepId: string | null; label: string | null } {
  if (isLabelledClaim(claim)) return { stepId: null, label: claim.label };
  if (isMigrationClaim(claim)) return { stepId: null, label: null };
  return { stepId: claim.stepId, label: null };
}

export type CommandRejectionCode = MessageData<typeof CommandRejected>['code'];

export type CommandBinding =
  | { bound: true; command: DecidedCommand }
  | { bound: false; code: CommandRejectionCode; message: string };

export const refused = (code: CommandRejectionCode, message: string): CommandBinding => ({ bound: false, code, message });
