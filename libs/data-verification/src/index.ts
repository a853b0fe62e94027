/**
 * @bascule/data-verification — the data-verifier's core: is a table still what it was?
 *
 * Design
 * - A row is hashed IN Postgres: the canonical row text (`ROW(c1, c2, …)::text` over the compared
 *   columns in a given order — default all columns in attnum order — under pinned DateStyle,
 *   TimeZone, IntervalStyle, extra_float_digits and bytea_output) → 64 bits (the first 16 hex
 *   digits of md5 by default, or hashtextextended: ~3× cheaper, not collision-resistant against a
 *   crafted edit). A set of rows is checksummed as (count, exact numeric sum of row hashes):
 *   order-independent, so one streaming aggregate and no sort; duplicates do not cancel as they
 *   would under bit_xor (PG14+ has it); a false "equal" needs equal counts and a 64-bit sum
 *   collision (~2^-64 for unrelated changes).
 * - Segments are key ranges [lower, upper) cut every `segmentRows` keys by a recursive keyset walk
 *   (`WHERE key > previous ORDER BY key OFFSET n - 1 LIMIT 1` per step: index-only, no sort;
 *   faster than percentile_disc, ntile() or row_number(), see docs/benchmarks.md "Checksums"). All
 *   segment checksums come from ONE scan grouped by width_bucket(key, boundaries), planned as a
 *   HashAggregate over k + 1 groups (enable_sort is turned off for that statement, because the
 *   planner would otherwise sort the table). Composite keys use row-value comparison and record
 *   ordering; a bound carries its column's non-default collation. A table with no primary key
 *   (and no unique NOT NULL keyColumns given) gets one whole-table checksum, and says so.
 * - Comparing with a baseline recomputes the same segments now, in one scan. Bisection needs both
 *   sides live, so keys are named in two ways:
 *   (a) `diffTables` bisects two live tables (snapshot copy vs current, source vs target): cut a
 *       range into `bisectionFactor` sub-ranges of about equal rows, checksum both sides, recurse
 *       into the differing ones, compare (key, hash) rows once a range is at most `leafRows` —
 *       Datafold data-diff's algorithm;
 *   (b) `takeBaseline({mode: 'rows'})` also stores (key, row hash) per row in
 *       `bascule_verify.baseline_<id>` (one CREATE TABLE AS SELECT: key + 8 bytes per row, not a
 *       copy of the data, plus a primary key for range scans). `compareWithBaseline` bisects that
 *       store against the live table inside each differing segment and names exactly the keys
 *       added, removed and changed. `dropBaselineRows` removes the store.
 *   A segment-only baseline names the differing segments; `differingKeys` is null then.
 * - Every read runs in a REPEATABLE READ READ ONLY transaction (one snapshot per verification)
 *   with statement_timeout and lock_timeout set locally; only a row-level baseline writes, and
 *   only into `bascule_verify`. Identifiers are always quoted; SQL text from users (`up`,
 *   invariants) is parsed first (libpg-query: exactly one expression / one query) and sent with
 *   the extended protocol, which refuses a second statement.
 * - Quoting is `@bascule/schema-engine`'s `quoteIdent`/`qualified`, behind a check that turns an
 *   empty, NUL-carrying or over-63-byte name into this library's typed InvalidIdentifierError.
 */
export * from './errors';
export type { Db } from './sql/db';
export type { TransactionLimits } from './sql/read-only-transaction';
export type { RowKey } from './catalog/resolve-key';
export type { RowHashAlgorithm } from './checksum/row-hash';
export { canonicalRowText, rowHashSql } from './checksum/row-hash';
export type { KeyRange, KeyValue } from './checksum/key-range';
export type { SegmentChecksum } from './checksum/segment-checksum';
export type { Baseline, BaselineSegment } from './baseline/baseline';
export { takeBaseline, DEFAULT_MAX_SEGMENTS, DEFAULT_SEGMENT_ROWS, type TakeBaselineOptions } from './baseline/take-baseline';
export { dropBaselineRows, VERIFY_SCHEMA } from './baseline/row-hash-store';
export type { BisectionOptions } from './compare/bisection-options';
export type {
  BisectionStats,
  ComparisonReport,
  DifferingKeys,
  KeyList,
  KeyRecord,
  MismatchedSegment,
} from './compare/comparison-report';
export { compareWithBaseline, type CompareOptions } from './compare/compare-with-baseline';
export { diffTables, type DiffTablesOptions, type TableRef } from './compare/diff-tables';
export {
  verifyColumnEquivalence,
  type ColumnEquivalenceOptions,
  type ColumnEquivalenceReport,
  type EquivalenceExample,
} from './equivalence/verify-column-equivalence';
export { checkInvariants, type Invariant, type InvariantResult } from './invariants/check-invariants';
export type { Expectation, ExpectedScalar } from './invariants/expectation';
export { fingerprintDifferences, schemaFingerprint, type SchemaFingerprint, type TableFingerprint } from './catalog/schema-fingerprint';
