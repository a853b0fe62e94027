import { isInvalidTrafficSharesError } from '../errors';
import { planWeightChanges, resolveShares, sharesOf } from './traffic-shares';

describe('resolveShares', () => {
  it('fills left-out versions with 0', () => {
    expect(resolveShares({ v2: 100 }, ['v1', 'v2'])).toEqual({ v1: 0, v2: 100 });
  });

  it.each([
    [{ v1: 60, v2: 30 }, 'they sum to 90'],
    [{ v1: 50.5, v2: 49.5 }, 'v1 has 50.5'],
    [{ v1: 110, v2: -10 }, 'v1 has 110'],
    [{ v1: 50, v3: 50 }, 'unknown version v3 (known: v1, v2)'],
  ])('refuses %j with a typed error: %s', (shares, problem) => {
    let caught: unknown;
    try {
      resolveShares(shares, ['v1', 'v2']);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidTrafficSharesError(caught)).toBe(true);
    expect((caught as Error).message).toContain(problem);
    expect((caught as { code: string }).code).toBe('INVALID_TRAFFIC_SHARES');
  });
});

describe('planWeightChanges', () => {
  it('raises the growing version before lowering the shrinking one', () => {
    expect(planWeightChanges({ v1: 100, v2: 0 }, { v1: 0, v2: 100 })).toEqual([
      { version: 'v2', weight: 100 },
      { version: 'v1', weight: 0 },
    ]);
    expect(planWeightChanges({ v1: 0, v2: 100 }, { v1: 100, v2: 0 })).toEqual([
      { version: 'v1', weight: 100 },
      { version: 'v2', weight: 0 },
    ]);
  });

  it('never passes through all zeros, whatever the order of the versions', () => {
    const steps = [
      { v1: 95, v2: 5, v3: 0 },
      { v1: 0, v2: 0, v3: 100 },
      { v1: 100, v2: 0, v3: 0 },
      { v1: 0, v2: 100, v3: 0 },
    ];
    let weights: Record<string, number> = { v1: 100, v2: 0, v3: 0 };
    for (const target of steps) {
      for (const change of planWeightChanges(weights, target)) {
        weights = { ...weights, [change.version]: change.weight };
        expect(Object.values(weights).some((weight) => weight > 0)).toBe(true);
      }
      expect(weights).toEqual(target);
    }
  });

  it('changes nothing that already has its weight', () => {
    expect(planWeightChanges({ v1: 75, v2: 25 }, { v1: 75, v2: 25 })).toEqual([]);
  });
});

describe('sharesOf', () => {
  it('turns raw weights into percents', () => {
    expect(sharesOf({ v1: 1, v2: 3 })).toEqual({ v1: 25, v2: 75 });
    expect(sharesOf({ v1: 0, v2: 0 })).toEqual({ v1: 0, v2: 0 });
  });
});
