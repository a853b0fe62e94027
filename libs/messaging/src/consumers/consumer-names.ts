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

/**
 * Copies of one service share this consumer of one event type: each event is handled by one copy.
 * One consumer per type the service handles, filtered on that type's subject, so a service is
 * never delivered (and never acks) the events it has no handler for: with one consumer on
 * `evt.>` every service paid a pull and an ack for every event of the system, most of them
 * ignored, and on two cores that CPU was most of a chain of steps' latency. (NATS 2.9 has one
 * filter subject per consumer.)
 */
export function eventsConsumerName(serviceName: string, eventType: string): string {
  return durableName(`${serviceName}-events-${eventType}`);
}

/**
 * The one consumer per service on `evt.>` that the per-type consumers replaced. A service that
 * finds it starts its new consumers past its ack floor (nothing replayed, nothing skipped) and
 * deletes it.
 */
export function legacyEventsConsumerName(serviceName: string): string {
  return durableName(`${serviceName}-events`);
}

/**
 * One consumer per command subject, named after the command, not the service: a work-queue stream
 * allows no two consumers with overlapping filters, so whoever handles `rollback` shares it.
 */
export function commandConsumerName(command: string): string {
  return durableName(`cmd-${command}`);
}
