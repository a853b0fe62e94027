import type { TableComparison } from '@bascule/contracts';
import type { ComparisonReport, KeyList } from '@bascule/data-verification';

/** Keys named per kind (added, removed, changed) in an event: enough to act on, small enough to store. */
export const KEY_SAMPLE_SIZE = 20;

export function toTableComparison(table: string, report: ComparisonReport): TableComparison {
  const keys = (list: KeyList | undefined) => (list ? { count: list.count, sample: list.keys.slice(0, KEY_SAMPLE_SIZE) } : null);
  return {
    table,
    baselineRowCount: report.rowCount.before,
    rowCount: report.rowCount.after,
    equal: report.ok,
    added: keys(report.differingKeys?.added),
    removed: keys(report.differingKeys?.removed),
    changed: keys(report.differingKeys?.changed),
    mismatchedSegments: report.mismatchedSegments.length,
  };
}

/**
 * Whether a baselined row is gone. With named keys that is exact; a table without a key only has
 * counts, so fewer rows than the baseline is the evidence (a delete hidden by an insert goes unseen).
 */
export function lostRows(comparison: TableComparison): boolean {
  if (comparison.removed) return comparison.removed.count > 0;
  return comparison.rowCount < comparison.baselineRowCount;
}

/** `no-loss` passes unless a baselined row is gone (live writes may add and change rows); `identical` needs no difference at all. */
export function tablePasses(comparison: TableComparison, mode: 'no-loss' | 'identical'): boolean {
  return mode === 'identical' ? comparison.equal : !lostRows(comparison);
}

export function describeTableFailure(comparison: TableComparison, mode: 'no-loss' | 'identical'): string {
  const parts = [`${comparison.table}: ${comparison.baselineRowCount} → ${comparison.rowCount} rows`];
  for (const kind of ['removed', 'added', 'changed'] as const) {
    const keys = comparison[kind];
    if (keys && keys.count > 0) parts.push(`${kind} ${keys.count} (${keys.sample.map((key) => JSON.stringify(key)).join(', ')})`);
  }
  if (!comparison.removed && comparison.mismatchedSegments > 0) parts.push(`${comparison.mismatchedSegments} segment(s) differ`);
  return `${parts.join(', ')} [${mode}]`;
}
