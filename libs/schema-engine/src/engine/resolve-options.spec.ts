import { DEFAULT_BACKFILL_OPTIONS } from '../backfill/backfill-progress';
import { EngineConfigurationError } from '../errors';
import { resolveOptions } from './resolve-options';

const backfillOf = (backfill: Parameters<typeof resolveOptions>[0]['backfill']) => resolveOptions({ databaseUrl: 'postgres://x', backfill }).backfill;

describe('backfill options', () => {
  it('sizes batches by time by default, starting at the default batch size', () => {
    expect(backfillOf(undefined)).toEqual(DEFAULT_BACKFILL_OPTIONS);
    expect(backfillOf({ delayMs: 20 }).targetBatchMs).toBe(DEFAULT_BACKFILL_OPTIONS.targetBatchMs);
  });

  it('keeps a batchSize given alone fixed, as it was before sizing by time', () => {
    expect(backfillOf({ batchSize: 250 })).toMatchObject({ batchSize: 250, targetBatchMs: 0 });
  });

  it('starts an adaptive walk at batchSize when both are given', () => {
    expect(backfillOf({ batchSize: 250, targetBatchMs: 20 })).toMatchObject({ batchSize: 250, targetBatchMs: 20 });
  });

  it('treats an option passed as undefined as not set', () => {
    expect(backfillOf({ batchSize: undefined, delayMs: undefined })).toEqual(DEFAULT_BACKFILL_OPTIONS);
  });

  it('rejects bounds that cannot hold a batch', () => {
    expect(() => backfillOf({ minBatchSize: 500, maxBatchSize: 100 })).toThrow(EngineConfigurationError);
    expect(() => backfillOf({ checkpointEveryBatches: 0 })).toThrow(EngineConfigurationError);
  });
});
