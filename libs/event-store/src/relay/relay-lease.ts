import type { Pool } from 'pg';
import { abortableSleep } from '../subscription/abortable-sleep';

export interface RelayLease {
  /** True once the lease's connection failed: the lock is gone, another copy may hold it now. */
  readonly lost: boolean;
  release(): Promise<void>;
}

/**
 * A session advisory lock keyed by relay id, so only one copy of a relay publishes at a time (two
 * would be harmless thanks to Nats-Msg-Id, but would double the bus traffic). The lock belongs to
 * the session: a relay that crashes loses its connection and the lock with it, and a waiting copy
 * takes over. Resolves to null if aborted while waiting.
 */
export async function holdRelayLease(pool: Pool, relayId: string, signal: AbortSignal, retryMs = 500): Promise<RelayLease | null> {
  const client = await pool.connect();
  // Stopped while waiting for a connection: hand it straight back.
  if (signal.aborted) {
    client.release();
    return null;
  }
  let lost = false;
  // A checked-out client's connection error has no other listener: without this it would crash the process.
  client.on('error', () => {
    lost = true;
  });
  try {
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('bascule.outbox-relay'), hashtext($1)) AS locked",
        [relayId],
      );
      if (rows[0].locked) break;
      await abortableSleep(retryMs, signal);
      if (signal.aborted) {
        client.release();
        return null;
      }
    }
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  return {
    get lost() {
      return lost;
    },
    release: async () => {
      if (lost) return client.release(true);
      await client.query("SELECT pg_advisory_unlock(hashtext('bascule.outbox-relay'), hashtext($1))", [relayId]).catch(() => undefined);
      client.release();
    },
  };
}
