import { addChecksums, sameChecksum } from './segment-checksum';

describe('segment checksums', () => {
  it('adds sums exactly beyond 2^64', () => {
    const big = { rowCount: 1, checksum: '9223372036854775807' };
    expect(addChecksums([big, big, { rowCount: 2, checksum: '-5' }])).toEqual({ rowCount: 4, checksum: '18446744073709551609' });
  });

  it('differs when the count differs even if the sums agree', () => {
    expect(sameChecksum({ rowCount: 1, checksum: '0' }, { rowCount: 2, checksum: '0' })).toBe(false);
    expect(sameChecksum({ rowCount: 2, checksum: '7' }, { rowCount: 2, checksum: '7' })).toBe(true);
  });
});
