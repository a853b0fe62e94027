import type { PoolClient } from 'pg';
import type { BackfillOptions, BackfillProgress } from '../backfill/backfill-progress';
import type { OperationLocation } from '../errors';
import type { LockRetryPolicy } from '../execution/lock-retry-policy';
import type { MigrationStore } from '../state/migration-store';

/** Reported after every statement the engine ran: for logs, plans and the schema-agent's events. */
export interface ActionEvent {
  location: OperationLocation;
  description: string;
  sql: string;
  attempts: number;
  durationMs: number;
}

export interface EngineCallbacks {
  /** After every committed backfill batch; its checkpoint is persisted too when `progress.checkpointed`. */
  onProgress?: (progress: BackfillProgress) => void;
  /** After every SQL action. */
  onAction?: (event: ActionEvent) => void;
}

/** Everything one phase (start, complete, rollback) works with, on its own dedicated connection. */
export interface PhaseContext extends EngineCallbacks {
  client: PoolClient;
  store: MigrationStore;
  schema: string;
  stateSchema: string;
  policy: LockRetryPolicy;
  backfill: BackfillOptions;
  securityInvoker: boolean;
  signal?: AbortSignal;
  throttle?: () => Promise<void>;
}
