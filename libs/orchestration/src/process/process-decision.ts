/** An event the process manager appends: its id is deterministic, so deciding twice appends nothing new. */
export interface DecidedEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}

/** A command the process manager sends after its events are stored; `commandId` is deterministic too. */
export interface DecidedCommand {
  /** Command name (`schema.start`, `verify.baseline`, ...), as in the contract definitions. */
  definition: string;
  payload: Record<string, unknown>;
  commandId: string;
}

export interface ProcessDecision {
  events: DecidedEvent[];
  commands: DecidedCommand[];
}

export const NOTHING_TO_DO: ProcessDecision = Object.freeze({ events: [], commands: [] }) as ProcessDecision;

export function isNothing(decision: ProcessDecision): boolean {
  return decision.events.length === 0 && decision.commands.length === 0;
}
