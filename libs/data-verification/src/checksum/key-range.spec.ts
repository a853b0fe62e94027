import { innerBoundaries, keyRecord, splitRange, WHOLE_TABLE } from './key-range';

describe('splitRange', () => {
  it('cuts an unbounded range into k + 1 consecutive ranges at k boundaries', () => {
    expect(splitRange(WHOLE_TABLE, [['10'], ['20']])).toEqual([
      { lower: null, upper: ['10'] },
      { lower: ['10'], upper: ['20'] },
      { lower: ['20'], upper: null },
    ]);
  });

  it('keeps the outer bounds of a bounded range', () => {
    expect(splitRange({ lower: ['1', 'a'], upper: ['9', 'z'] }, [['5', 'm']])).toEqual([
      { lower: ['1', 'a'], upper: ['5', 'm'] },
      { lower: ['5', 'm'], upper: ['9', 'z'] },
    ]);
  });

  it('returns the range itself when there is no boundary', () => {
    expect(splitRange({ lower: ['3'], upper: null }, [])).toEqual([{ lower: ['3'], upper: null }]);
  });

  it('innerBoundaries inverts splitRange', () => {
    const boundaries = [['10'], ['20'], ['30']];
    expect(innerBoundaries(splitRange(WHOLE_TABLE, boundaries))).toEqual(boundaries);
  });

  it('refuses ranges that are not consecutive', () => {
    expect(() => innerBoundaries([{ lower: null, upper: ['1'] }, { lower: null, upper: null }])).toThrow(/not consecutive/);
  });

  it('names key values by their columns', () => {
    expect(keyRecord(['tenant', 'id'], ['7', '42'])).toEqual({ tenant: '7', id: '42' });
  });
});
