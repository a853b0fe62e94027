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
  const backfill = { ...DEFAULT_BACKFILL_OPTIONS, ...options.backfill };
  integer('lockTimeoutMs', policy.lockTimeoutMs, 1);
  integer('retry.maxAttempts', policy.maxAttempts, 1);
  integer('retry.baseDelayMs', policy.baseDelayMs, 0);
  integer('retry.maxDelayMs', policy.maxDelayMs, 0);
  integer('backfill.batchSize', backfill.batchSize, 1);
  integer('backfill.delayMs', backfill.delayMs, 0);
  return { policy, backfill };
}
