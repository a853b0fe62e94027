import { randomInt } from 'node:crypto';
import { loadTableShape } from '../catalog/load-table-shape';
import { resolveKey } from '../catalog/resolve-key';
import { columnByName } from '../catalog/table-shape';
import { keyRecord } from '../checksum/key-range';
import { BindValues } from '../checksum/key-sql';
import { ColumnNotFoundError } from '../errors/column-not-found.error';
import { InvalidExpressionError } from '../errors/invalid-expression.error';
import { InvalidOptionError } from '../errors/invalid-option.error';
import type { Db } from '../sql/db';
import { assertSingleExpression } from '../sql/expression-guard';
import { inVerificationTransaction, type TransactionLimits } from '../sql/read-only-transaction';
import { quoteIdent } from '../sql/sql-identifiers';
import { samplePercent } from './sample-clause';

export interface ColumnEquivalenceOptions extends TransactionLimits {
  schema: string;
  table: string;
  oldColumn: string;
  newColumn: string;
  /** SQL expression over the row's columns (by name) giving the expected new value; default the old column. */
  up?: string;
  /** Rows to check (a Bernoulli sample), or 'full' (default) for every row. */
  sample?: number | 'full';
  /** TABLESAMPLE REPEATABLE seed, so a sampled check can be rerun on the same rows; default random. */
  seed?: number;
  /** Mismatching rows to return as examples. Default 20. */
  maxExamples?: number;
  /** Columns naming the example rows; default the primary key, else ctid. */
  keyColumns?: string[];
}

export interface EquivalenceExample {
  key: Record<string, string>;
  old: string | null;
  new: string | null;
  expected: string | null;
}

export interface ColumnEquivalenceReport {
  ok: boolean;
  checkedRows: number;
  mismatchedRows: number;
  sampled: boolean;
  seed: number | null;
  examples: EquivalenceExample[];
}

/**
 * After a backfill: counts rows whose new column IS DISTINCT FROM `up` evaluated on the same row
 * (NULL = NULL counts as equal), in one READ ONLY snapshot. `up` is checked to be exactly one
 * expression before it is spliced into SQL; Postgres' own objections to it (unknown column, type
 * mismatch, an error on some row) come back as InvalidExpressionError.
 */
export async function verifyColumnEquivalence(db: Db, options: ColumnEquivalenceOptions): Promise<ColumnEquivalenceReport> {
  const sample = options.sample ?? 'full';
  const maxExamples = options.maxExamples ?? 20;
  if (sample !== 'full' && (!Number.isInteger(sample) || sample < 1)) {
    throw new InvalidOptionError('sample', `must be 'full' or an integer >= 1, got ${String(sample)}`);
  }
  if (!Number.isInteger(maxExamples) || maxExamples < 0) throw new InvalidOptionError('maxExamples', 'must be an integer >= 0');
  const seed = sample === 'full' ? null : (options.seed ?? randomInt(0, 2 ** 31 - 1));
  const up = options.up ?? quoteIdent(options.oldColumn);
  await assertSingleExpression(up, 'up');

  return inVerificationTransaction(db, options, async (session) => {
    const shape = await loadTableShape(session, options.schema, options.table);
    const missing = [options.oldColumn, options.newColumn].filter((name) => !columnByName(shape, name));
    if (missing.length > 0) throw new ColumnNotFoundError(shape.relation, missing, 'column equivalence');
    const key = resolveKey(shape, options.keyColumns);
    const keyColumns = key ? key.columns : ['ctid'];

    const binds = new BindValues();
    let source = shape.relation;
    let limit = '';
    if (sample !== 'full') {
      const estimate = await session.query<{ rows: number }>(
        'SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = $1::regclass',
        [shape.relation],
      );
      const percent = binds.add(samplePercent(sample, estimate.rows[0].rows));
      source += ` TABLESAMPLE BERNOULLI (${percent}::float4) REPEATABLE (${binds.add(seed)}::float8)`;
      limit = ` LIMIT ${binds.add(sample)}::int8`;
    }
    const checked = `SELECT ${keyColumns.map((column, i) => `${quoteIdent(column)}::text AS k${i}`).join(', ')},
                            ${quoteIdent(options.oldColumn)}::text AS old_value,
                            ${quoteIdent(options.newColumn)}::text AS new_value,
                            (${up})::text AS expected_value,
                            ${quoteIdent(options.newColumn)} IS DISTINCT FROM (${up}) AS mismatch
                       FROM ${source}${limit}`;
    try {
      const totals = await session.query<{ checked: string; mismatched: string }>(
        `SELECT count(*)::text AS checked, count(*) FILTER (WHERE mismatch)::text AS mismatched FROM (${checked}) AS checked`,
        binds.values,
      );
      const exampleLimit = binds.add(maxExamples);
      const examples = await session.query<Record<string, string | null>>(
        `SELECT * FROM (${checked}) AS checked WHERE mismatch LIMIT ${exampleLimit}::int8`,
        binds.values,
      );
      const mismatchedRows = Number(totals.rows[0].mismatched);
      return {
        ok: mismatchedRows === 0,
        checkedRows: Number(totals.rows[0].checked),
        mismatchedRows,
        sampled: sample !== 'full',
        seed,
        examples: examples.rows.map((row) => ({
          key: keyRecord(keyColumns, keyColumns.map((_, i) => row[`k${i}`] as string)),
          old: row['old_value'],
          new: row['new_value'],
          expected: row['expected_value'],
        })),
      };
    } catch (error) {
      throw asExpressionError(error);
    }
  });
}

// Class 42 (syntax, unknown column or function, type mismatch) and class 22 (a data exception
// such as division by zero on some row) are the expression's fault, not the database's.
function asExpressionError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('42') || code.startsWith('22'))) {
    return new InvalidExpressionError('up', `Postgres rejected it: ${(error as Error).message}`, { cause: error });
  }
  return error;
}
