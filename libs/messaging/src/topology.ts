import { COMMAND_NAMES } from '@bascule/contracts';

/**
 * Stream and subject names. With the default prefix these are the contract names of
 * ARCHITECTURE.md (BASCULE_EVENTS on `bascule.evt.>`, BASCULE_CMDS on `bascule.cmd.>`, the on-call
 * rollback on `bascule.cmd.rollback`); tests and side-by-side installs pass a prefix of their own.
 */
export interface BusTopology {
  prefix: string;
  eventsStream: string;
  commandsStream: string;
  eventsFilter: string;
  commandsFilter: string;
  /** The commands the commands stream accepts (see COMMAND_CATALOG); any other `cmd.*` subject is refused. */
  commandNames: readonly string[];
  eventSubject(type: string): string;
  commandSubject(name: string): string;
}

export const DEFAULT_BUS_PREFIX = 'bascule';

export function busTopology(prefix: string = process.env.BASCULE_BUS_PREFIX ?? DEFAULT_BUS_PREFIX, commandNames: readonly string[] = COMMAND_NAMES): BusTopology {
  if (!/^[a-z][a-z0-9_-]*$/.test(prefix)) {
    throw new Error(`bus prefix "${prefix}" must be lowercase letters, digits, "_" or "-", starting with a letter`);
  }
  const upper = prefix.toUpperCase().replace(/-/g, '_');
  return {
    prefix,
    eventsStream: `${upper}_EVENTS`,
    commandsStream: `${upper}_CMDS`,
    eventsFilter: `${prefix}.evt.>`,
    commandsFilter: `${prefix}.cmd.>`,
    commandNames,
    eventSubject: (type) => `${prefix}.evt.${type}`,
    commandSubject: (name) => `${prefix}.cmd.${name}`,
  };
}
