import { createHash } from 'node:crypto';

/**
 * Durable consumer names. JetStream forbids `.`, `*`, `>` and whitespace in them, so other
 * characters become `_`; when anything had to be replaced a short hash of the original keeps two
 * different names from meeting (`schema.start` vs `schema_start`).
 */
export function durableName(raw: string): string {
  const safe = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe === raw) return raw;
  return `${safe}-${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
}

/** Copies of one service share this consumer on the events stream: each event is handled by one copy. */
export function eventsConsumerName(serviceName: string): string {
  return durableName(`${serviceName}-events`);
}

/**
 * One consumer per command subject, named after the command, not the service: a work-queue stream
 * allows no two consumers with overlapping filters, so whoever handles `rollback` shares it.
 */
export function commandConsumerName(command: string): string {
  return durableName(`cmd-${command}`);
}
