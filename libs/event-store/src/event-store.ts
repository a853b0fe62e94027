import type { Pool } from 'pg';
import type { AppendOptions, AppendResult, NewEvent, StoredEvent } from './event';
import { appendEvents } from './append/append-events';
import { readAll, type ReadAllOptions, type ReadAllPage } from './read/read-all';
import { readStream, type ReadStreamOptions } from './read/read-stream';
import { verifyChains, type ChainVerification } from './chain/verify-chains';
import { subscribe, type Subscription, type SubscriptionOptions } from './subscription/catch-up-subscription';

/** The event store over a caller-owned pool (the caller ends the pool). */
export class EventStore {
  constructor(readonly pool: Pool) {}

  append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return appendEvents(this.pool, streamId, events, options);
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return readStream(this.pool, streamId, options);
  }

  readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    return readAll(this.pool, options);
  }

  subscribe(options: SubscriptionOptions): Subscription {
    return subscribe(this.pool, options);
  }

  verifyChains(): Promise<ChainVerification> {
    return verifyChains(this.pool);
  }
}

/** The stream of one migration (ARCHITECTURE.md: one stream per migration). */
export function migrationStreamId(migrationId: string): string {
  return `migration-${migrationId}`;
}
