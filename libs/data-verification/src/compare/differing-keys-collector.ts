import { keyRecord, type KeyValue } from '../checksum/key-range';
import type { DifferingKeys, KeyList } from './comparison-report';

export type Difference = 'added' | 'removed' | 'changed';

/** Counts every differing key exactly but keeps only the first `maxKeys` of each kind for the report. */
export class DifferingKeysCollector {
  private readonly lists: Record<Difference, KeyList> = {
    added: { count: 0, keys: [], truncated: false },
    removed: { count: 0, keys: [], truncated: false },
    changed: { count: 0, keys: [], truncated: false },
  };

  constructor(
    private readonly keyColumns: readonly string[],
    private readonly maxKeys: number,
  ) {}

  add(kind: Difference, key: KeyValue): void {
    const list = this.lists[kind];
    list.count += 1;
    if (list.keys.length < this.maxKeys) list.keys.push(keyRecord(this.keyColumns, key));
    else list.truncated = true;
  }

  get total(): number {
    return this.lists.added.count + this.lists.removed.count + this.lists.changed.count;
  }

  report(): DifferingKeys {
    const copy = (list: KeyList): KeyList => ({ ...list, keys: [...list.keys] });
    return { added: copy(this.lists.added), removed: copy(this.lists.removed), changed: copy(this.lists.changed) };
  }
}
