import { DEFAULT_BACKFILL_OPTIONS, type BackfillOptions } from '../backfill/backfill-progress';
import { EngineConfigurationError } from '../errors';
import { DEFAULT_LOCK_RETRY_POLICY, type LockRetryPolicy } from '../execution/lock-retry-policy';
import type { SchemaEngineOptions } from './engine-options';

function integer(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new EngineConfigurationError(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

/** Defaults filled in and every number checked: these values end up in SQL text (`SET lock_timeout = …`). */
export function resolveOptions(options: SchemaEngineOptions): { policy: LockRetryPolicy; backfill: BackfillOptions } {
  if (!options.pool && !options.databaseUrl) throw new EngineConfigurationError('the schema engine needs a databaseUrl or a pool');
  const policy = { ...DEFAULT_LOCK_RETRY_POLICY, ...options.retry, lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_RETRY_POLICY.lockTimeoutMs };
  // An explicit undefined (an optional field passed along) means "not set", not "no value".
  const given: Partial<BackfillOptions> = Object.fromEntries(Object.entries(options.backfill ?? {}).filter(([, value]) => value !== undefined));
  // A batchSize with no targetBatchMs is a fixed size, as it was before batches were sized by time.
  const targetBatchMs = given.targetBatchMs ?? (given.batchSize === undefined ? DEFAULT_BACKFILL_OPTIONS.targetBatchMs : 0);
  const backfill = { ...DEFAULT_BACKFILL_OPTIONS, ...given, targetBatchMs };
  integer('lockTimeoutMs', policy.lockTimeoutMs, 1);
  integer('retry.maxAttempts', policy.maxAttempts, 1);
  integer('retry.baseDelayMs', policy.baseDelayMs, 0);
  integer('retry.maxDelayMs', policy.maxDelayMs, 0);
  integer('backfill.batchSize', backfill.batchSize, 1);
  integer('backfill.delayMs', backfill.delayMs, 0);
  integer('backfill.targetBatchMs', backfill.targetBatchMs, 0);
  integer('backfill.minBatchSize', backfill.minBatchSize, 1);
  integer('backfill.maxBatchSize', backfill.maxBatchSize, backfill.minBatchSize);
  integer('backfill.checkpointEveryBatches', backfill.checkpointEveryBatches, 1);
  integer('backfill.checkpointIntervalMs', backfill.checkpointIntervalMs, 0);
  return { policy, backfill };
}
