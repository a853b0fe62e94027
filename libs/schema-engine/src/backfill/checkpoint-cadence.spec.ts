import { checkpointDue } from './checkpoint-cadence';

const cadence = { everyBatches: 10, intervalMs: 1000 };

describe('checkpoint cadence', () => {
  it('is due on every tenth batch of fast batches', () => {
    expect(checkpointDue(cadence, { batches: 8, ms: 10 })).toBe(false);
    expect(checkpointDue(cadence, { batches: 9, ms: 10 })).toBe(true);
    expect(checkpointDue(cadence, { batches: 8, ms: 900 })).toBe(false);
  });

  it('is due after a second of slow batches, however few', () => {
    expect(checkpointDue(cadence, { batches: 0, ms: 1000 })).toBe(true);
    expect(checkpointDue(cadence, { batches: 2, ms: 999 })).toBe(false);
  });

  it('with everyBatches 1 checkpoints every batch (the cadence before it was configurable)', () => {
    expect(checkpointDue({ everyBatches: 1, intervalMs: 1000 }, { batches: 0, ms: 0 })).toBe(true);
  });
});
