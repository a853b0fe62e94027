import { duplicateColumnName, fitIdentifier, syncTriggerNames } from './internal-names';

describe('internal names', () => {
  it('keeps short names readable', () => {
    expect(duplicateColumnName('rating')).toBe('_bascule_new_rating');
    expect(syncTriggerNames('reviews', 'm1', 2)).toEqual({ fromOld: '_bascule_up_002_reviews_m1', fromNew: '_bascule_down_997_reviews_m1' });
  });

  it('fits long names into 63 bytes with a hash, deterministically and without collisions', () => {
    const a = duplicateColumnName('x'.repeat(60) + 'a');
    const b = duplicateColumnName('x'.repeat(60) + 'b');
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^_bascule_new_x+_[0-9a-f]{10}$/);
    expect(a).not.toBe(b);
    expect(duplicateColumnName('x'.repeat(60) + 'a')).toBe(a);
    expect(Buffer.byteLength(syncTriggerNames('t'.repeat(63), 'm'.repeat(63), 999).fromNew)).toBeLessThanOrEqual(63);
  });

  it('never splits a multi-byte character', () => {
    const name = fitIdentifier('é'.repeat(40));
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^é+_[0-9a-f]{10}$/);
  });

  it('orders old-version triggers by operation index and new-version triggers by reverse index', () => {
    const names = [10, 2, 1].map((index) => syncTriggerNames('t', 'm', index));
    expect(names.map((n) => n.fromOld).sort()).toEqual([1, 2, 10].map((index) => syncTriggerNames('t', 'm', index).fromOld));
    expect(names.map((n) => n.fromNew).sort()).toEqual([10, 2, 1].map((index) => syncTriggerNames('t', 'm', index).fromNew));
  });
});
