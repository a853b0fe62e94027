import type { z } from 'zod';
import type { BusTopology } from '../topology';

/**
 * How a handler says what it consumes. A pattern that starts with `cmd:` is a COMMAND handler for
 * the rest of the pattern (`cmd:rollback` consumes `<prefix>.cmd.rollback` from the work-queue
 * stream); any other pattern is an EVENT type consumed from the events stream
 * (`StepCompleted` ← `<prefix>.evt.StepCompleted`). `@CommandHandler('rollback')` and
 * `@EventHandler('StepCompleted')` write these patterns for you; a plain `@EventPattern('cmd:x')`
 * or `@EventPattern('StepCompleted')` means the same.
 */
export const COMMAND_PATTERN_PREFIX = 'cmd:';

/** Key in a handler's Nest pattern extras under which the payload schema travels. */
export const PAYLOAD_SCHEMA_EXTRA = 'busPayloadSchema';

/**
 * Key in a handler's Nest pattern extras that marks it idempotent by itself (it re-reads the truth,
 * or keeps its own ledger): the server then skips the processed-message store for it, two database
 * round trips per message on paths that pay them at every step of a migration.
 */
export const IDEMPOTENT_BY_ITSELF_EXTRA = 'busIdempotentByItself';

export type BusRoute =
  | { kind: 'command'; pattern: string; name: string; subject: string }
  | { kind: 'event'; pattern: string; type: string; subject: string };

export function commandPattern(name: string): string {
  return `${COMMAND_PATTERN_PREFIX}${name}`;
}

export function routeOf(pattern: string, topology: BusTopology): BusRoute {
  if (pattern.startsWith(COMMAND_PATTERN_PREFIX)) {
    const name = pattern.slice(COMMAND_PATTERN_PREFIX.length);
    return { kind: 'command', pattern, name, subject: topology.commandSubject(name) };
  }
  return { kind: 'event', pattern, type: pattern, subject: topology.eventSubject(pattern) };
}

/** The handler pattern a message on `subject` is for; undefined when the subject is outside both streams. */
export function patternOfSubject(subject: string, topology: BusTopology): string | undefined {
  const commandPrefix = topology.commandSubject('');
  if (subject.startsWith(commandPrefix)) return commandPattern(subject.slice(commandPrefix.length));
  const eventPrefix = topology.eventSubject('');
  if (subject.startsWith(eventPrefix)) return subject.slice(eventPrefix.length);
  return undefined;
}

export function payloadSchemaOf(extras: Record<string, unknown> | undefined): z.ZodType | undefined {
  return extras?.[PAYLOAD_SCHEMA_EXTRA] as z.ZodType | undefined;
}

export function isIdempotentByItself(extras: Record<string, unknown> | undefined): boolean {
  return extras?.[IDEMPOTENT_BY_ITSELF_EXTRA] === true;
}
