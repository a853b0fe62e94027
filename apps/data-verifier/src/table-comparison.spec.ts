import type { ComparisonReport } from '@bascule/data-verification';
import { describeTableFailure, lostRows, tablePasses, toTableComparison } from './table-comparison';

const report = (overrides: Partial<ComparisonReport>): ComparisonReport => ({
  ok: false,
  rowCount: { before: 10, after: 10 },
  mismatchedSegments: [],
  differingKeys: null,
  bisection: null,
  ...overrides,
});
const keys = (count: number, ids: string[] = []) => ({ count, keys: ids.map((id) => ({ id })), truncated: false });

describe('table comparison verdicts', () => {
  it('no-loss fails only on a removed key; identical on any difference', () => {
    const changed = toTableComparison('t', report({ differingKeys: { added: keys(1, ['11']), removed: keys(0), changed: keys(1, ['3']) }, rowCount: { before: 10, after: 11 } }));
    expect(tablePasses(changed, 'no-loss')).toBe(true);
    expect(tablePasses(changed, 'identical')).toBe(false);
    const removed = toTableComparison('t', report({ differingKeys: { added: keys(0), removed: keys(1, ['4']), changed: keys(0) }, rowCount: { before: 10, after: 9 } }));
    expect(lostRows(removed)).toBe(true);
    expect(describeTableFailure(removed, 'no-loss')).toContain('removed 1 ({"id":"4"})');
  });

  it('without named keys (a table without a key) judges loss by the row count', () => {
    expect(lostRows(toTableComparison('t', report({ rowCount: { before: 10, after: 9 } })))).toBe(true);
    expect(lostRows(toTableComparison('t', report({ rowCount: { before: 10, after: 10 } })))).toBe(false);
  });
});
