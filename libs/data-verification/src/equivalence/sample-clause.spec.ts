import { samplePercent } from './sample-clause';

describe('samplePercent', () => {
  it('reads everything when the table was never analyzed', () => {
    expect(samplePercent(100, -1)).toBe(100);
    expect(samplePercent(100, 0)).toBe(100);
  });

  it('asks for a quarter more than needed, capped at 100 %', () => {
    expect(samplePercent(1000, 1_000_000)).toBeCloseTo(0.125);
    expect(samplePercent(1000, 500)).toBe(100);
  });
});
