import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '@bascule/event-store';

/** Polls a stream until `done(events)` holds; throws with the event types seen when it does not in time. */
export async function waitForEvents(
  read: () => Promise<StoredEvent[]>,
  done: (events: StoredEvent[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  let events: StoredEvent[] = [];
  while (Date.now() < deadline) {
    events = await read();
    if (done(events)) return events;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; events so far: ${events.map((event) => event.type).join(', ') || 'none'}`);
}

export const hasType = (type: string) => (events: StoredEvent[]) => events.some((event) => event.type === type);
export const ofType = (events: StoredEvent[], type: string) => events.filter((event) => event.type === type);
