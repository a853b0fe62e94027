import type { MigrationStep } from '@bascule/contracts';

/**
 * Rows per second a backfill is assumed to reach: the engine updates in batches of 1000 keyed by
 * primary key; bench:schema measured roughly 20k–50k rows/s on a 2-core machine under write load,
 * so the planner takes the low end. An estimate to size the window, not a promise.
 */
export const BACKFILL_ROWS_PER_SECOND = 20_000;

/** Operations whose start rewrites existing rows through a backfill. */
const BACKFILLING = new Set(['alter_column', 'add_column', 'set_replica_identity', 'create_constraint', 'drop_constraint', 'drop_multicolumn_constraint']);

export function backfills(step: MigrationStep): boolean {
  return (step.schema?.operations ?? []).some((operation) => Object.keys(operation).some((kind) => BACKFILLING.has(kind) && hasUp(kind, operation[kind])));
}

function hasUp(kind: string, body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const fields = body as Record<string, unknown>;
  if (kind === 'add_column') return typeof fields['up'] === 'string';
  return kind !== 'set_replica_identity';
}

export function backfillSeconds(rows: number | null): number | null {
  return rows === null ? null : Math.ceil((rows / BACKFILL_ROWS_PER_SECOND) * 10) / 10;
}
