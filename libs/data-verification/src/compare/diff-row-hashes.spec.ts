import { diffRowHashes } from './diff-row-hashes';

describe('diffRowHashes', () => {
  it('names added, removed and changed keys', () => {
    const before = [
      { key: ['1'], hash: 'a' },
      { key: ['2'], hash: 'b' },
      { key: ['3'], hash: 'c' },
    ];
    const after = [
      { key: ['1'], hash: 'a' },
      { key: ['2'], hash: 'B' },
      { key: ['4'], hash: 'd' },
    ];
    expect(diffRowHashes(before, after)).toEqual({
      differences: [
        { kind: 'changed', key: ['2'] },
        { kind: 'added', key: ['4'] },
        { kind: 'removed', key: ['3'] },
      ],
    });
  });

  it('keeps composite keys apart that would collide if joined as text', () => {
    const result = diffRowHashes([{ key: ['a,b', 'c'], hash: '1' }], [{ key: ['a', 'b,c'], hash: '1' }]);
    expect(result.differences.map((d) => d.kind).sort()).toEqual(['added', 'removed']);
  });

  it('reports a duplicated key instead of guessing', () => {
    expect(diffRowHashes([], [{ key: ['1'], hash: 'a' }, { key: ['1'], hash: 'b' }]).duplicate).toEqual({ side: 'after', key: ['1'] });
  });
});
