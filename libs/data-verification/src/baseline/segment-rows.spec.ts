import { segmentRowsFor } from './segment-rows';

describe('segmentRowsFor', () => {
  it('keeps the requested size while the estimate fits in maxSegments', () => {
    expect(segmentRowsFor(10_000, 1_000, 5_000_000)).toBe(10_000);
    expect(segmentRowsFor(10_000, 1_000, 0)).toBe(10_000);
  });

  it('grows segments for a table bigger than maxSegments × segmentRows', () => {
    expect(segmentRowsFor(10_000, 1_000, 123_456_789)).toBe(123_457);
  });
});
