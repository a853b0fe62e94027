import type { Db } from '../sql/db';
import { InvalidExpressionError } from '../errors/invalid-expression.error';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { QueryTimeoutError } from '../errors/query-timeout.error';
import { assertSingleQuery } from '../sql/expression-guard';
import { inVerificationTransaction, type TransactionLimits } from '../sql/read-only-transaction';
import { meetsExpectation, type ActualValue, type Expectation, type TextRows } from './expectation';

export interface Invariant {
  name: string;
  /** One read query (SELECT, VALUES, WITH … SELECT). */
  sql: string;
  expect: Expectation;
}

export interface InvariantResult {
  name: string;
  passed: boolean;
  /** The scalar, or the rows, the query returned (text, as Postgres printed them); null if it failed. */
  actual: ActualValue;
  expected: Expectation;
  reason?: string;
  /** Set when the query itself failed (SQLSTATE and message). */
  error?: { code: string; message: string };
}

// Returning every value as text keeps int8/numeric exact and makes the comparison independent
// of node-pg's type parsers.
const AS_TEXT = { getTypeParser: () => (value: string) => value };

/**
 * Runs each invariant in its own READ ONLY transaction and compares its result with `expect`.
 * Every query is parsed first (one query, nothing else) and rejected as a whole, before anything
 * runs, if one is not; a query that fails at run time (missing table, timeout) is a failed invariant.
 */
export async function checkInvariants(
  db: Db,
  invariants: readonly Invariant[],
  limits: TransactionLimits = {},
): Promise<InvariantResult[]> {
  const names = new Set<string>();
  for (const invariant of invariants) {
    if (!invariant.name) throw new InvalidOptionError('invariants', 'every invariant needs a name');
    if (names.has(invariant.name)) throw new InvalidOptionError('invariants', `the name "${invariant.name}" is used twice`);
    names.add(invariant.name);
    await assertSingleQuery(invariant.sql, `invariant "${invariant.name}"`);
  }
  const results: InvariantResult[] = [];
  for (const invariant of invariants) results.push(await checkOne(db, invariant, limits));
  return results;
}

async function checkOne(db: Db, invariant: Invariant, limits: TransactionLimits): Promise<InvariantResult> {
  try {
    // Passing values (even none) forces the extended protocol, which refuses a second statement.
    const rows = await inVerificationTransaction(db, limits, async (session) => {
      const result = await session.query<Record<string, string | null>>({ text: invariant.sql, values: [], types: AS_TEXT });
      return result.rows as TextRows;
    });
    const outcome = meetsExpectation(rows, invariant.expect);
    return { name: invariant.name, expected: invariant.expect, ...outcome };
  } catch (error) {
    if (error instanceof InvalidExpressionError) throw error;
    const code = error instanceof QueryTimeoutError ? error.code : String((error as { code?: unknown }).code ?? 'UNKNOWN');
    const message = (error as Error).message;
    return {
      name: invariant.name,
      passed: false,
      actual: null,
      expected: invariant.expect,
      reason: 'the query failed',
      error: { code, message },
    };
  }
}
