/** A value an invariant's query must return. Numbers compare numerically, so `0` matches count(*)'s "0". */
export type ExpectedScalar = string | number | boolean | null;

/** One scalar (the query returns one row with one column) or rows of named columns (in order). */
export type Expectation = ExpectedScalar | Array<Record<string, ExpectedScalar>>;

/** Rows as Postgres printed them (every value as text, NULL as null). */
export type TextRows = Array<Record<string, string | null>>;

export type ActualValue = string | null | TextRows;

/**
 * Compares what the query returned with the expectation. A scalar expectation wants exactly one
 * row with one column; a rows expectation wants the same number of rows, in order, each with
 * exactly the expected columns.
 */
export function meetsExpectation(rows: TextRows, expect: Expectation): { passed: boolean; actual: ActualValue; reason?: string } {
  if (!Array.isArray(expect)) {
    if (rows.length !== 1 || Object.keys(rows[0]).length !== 1) {
      return { passed: false, actual: rows, reason: 'a scalar was expected: the query must return one row with one column' };
    }
    const actual = Object.values(rows[0])[0];
    return { passed: scalarMatches(actual, expect), actual };
  }
  if (rows.length !== expect.length) {
    return { passed: false, actual: rows, reason: `${expect.length} rows were expected, the query returned ${rows.length}` };
  }
  for (let i = 0; i < rows.length; i += 1) {
    const wanted = Object.keys(expect[i]).sort();
    const got = Object.keys(rows[i]).sort();
    if (wanted.join('\0') !== got.join('\0')) {
      return { passed: false, actual: rows, reason: `row ${i + 1} has columns ${got.join(', ')}, expected ${wanted.join(', ')}` };
    }
    const column = wanted.find((name) => !scalarMatches(rows[i][name], expect[i][name]));
    if (column !== undefined) return { passed: false, actual: rows, reason: `row ${i + 1}, column ${column} differs` };
  }
  return { passed: true, actual: rows };
}

export function scalarMatches(actual: string | null, expected: ExpectedScalar): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (typeof expected === 'boolean') return actual === (expected ? 't' : 'f') || actual === String(expected);
  if (typeof expected === 'number') {
    // Exact integers beyond 2^53 compare as text; everything else numerically ("1.50" = 1.5).
    if (Number.isInteger(expected) && /^-?\d+$/.test(actual)) return BigInt(actual) === BigInt(expected);
    return actual.trim() !== '' && Number(actual) === expected;
  }
  return actual === expected;
}
