import { SmoothWeightedRoundRobin } from './smooth-weighted-round-robin';

function picks(weights: Record<string, number>, count: number): Array<string | undefined> {
  const balancer = new SmoothWeightedRoundRobin(weights);
  return Array.from({ length: count }, () => balancer.pick());
}

function counts(sequence: Array<string | undefined>): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const version of sequence) counted[String(version)] = (counted[String(version)] ?? 0) + 1;
  return counted;
}

describe('SmoothWeightedRoundRobin', () => {
  it('spreads picks as nginx does: 5/1/1 gives a a b a c a a', () => {
    expect(picks({ a: 5, b: 1, c: 1 }, 7)).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a']);
  });

  it.each([
    [{ v1: 95, v2: 5 }, 20, { v1: 19, v2: 1 }],
    [{ v1: 75, v2: 25 }, 4, { v1: 3, v2: 1 }],
    [{ v1: 50, v2: 50 }, 2, { v1: 1, v2: 1 }],
    [{ v1: 95, v2: 5 }, 1000, { v1: 950, v2: 50 }],
  ])('serves exactly the shares %j over every %i requests', (weights, count, expected) => {
    expect(counts(picks(weights, count))).toEqual(expected);
  });

  it('gives a 5 % version one request in each run of 20, never two in a row', () => {
    const sequence = picks({ v1: 95, v2: 5 }, 200);
    for (let start = 0; start < 200; start += 20) {
      expect(sequence.slice(start, start + 20).filter((version) => version === 'v2')).toHaveLength(1);
    }
  });

  it('never picks a version at weight 0', () => {
    expect(counts(picks({ v1: 0, v2: 100 }, 50))).toEqual({ v2: 50 });
  });

  it('picks nothing when every weight is 0', () => {
    expect(picks({ v1: 0, v2: 0 }, 3)).toEqual([undefined, undefined, undefined]);
  });
});
