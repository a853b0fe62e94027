import type { StoredEvent } from '@bascule/event-store';
import type { RecordedMigration } from './recorded-migration';

/** Polls `probe` until it returns a value; throws naming `what` when time runs out. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The agent's events of `migration` once one of type `type` is among them. */
export function waitForAgentEvent(migration: RecordedMigration, type: string): Promise<StoredEvent[]> {
  return waitFor(`${type} in ${migration.migrationId}`, async () => {
    const events = await migration.agentEvents();
    return events.some((event) => event.type === type) ? events : undefined;
  });
}
