import { DifferingKeysCollector } from './differing-keys-collector';

describe('DifferingKeysCollector', () => {
  it('counts every key but lists at most maxKeys per kind', () => {
    const collector = new DifferingKeysCollector(['id'], 2);
    for (const id of ['1', '2', '3']) collector.add('changed', [id]);
    collector.add('added', ['9']);
    expect(collector.report()).toEqual({
      added: { count: 1, keys: [{ id: '9' }], truncated: false },
      removed: { count: 0, keys: [], truncated: false },
      changed: { count: 3, keys: [{ id: '1' }, { id: '2' }], truncated: true },
    });
    expect(collector.total).toBe(4);
  });
});
