import {
  checksumRanges,
  rowHashesInRange,
  sampleBoundaries,
  type ChecksumSide,
} from '../checksum/checksum-side';
import { keyRecord, splitRange, type KeyRange } from '../checksum/key-range';
import { sameChecksum, type SegmentChecksum } from '../checksum/segment-checksum';
import { DuplicateKeyError } from '../errors/duplicate-key.error';
import type { ResolvedBisectionOptions } from './bisection-options';
import type { BisectionStats, MismatchedSegment } from './comparison-report';
import { diffRowHashes } from './diff-row-hashes';
import type { DifferingKeysCollector } from './differing-keys-collector';

/** What one bisection learned, accumulated across the mismatching ranges it is called for. */
export interface Bisection {
  found: DifferingKeysCollector;
  stats: BisectionStats;
  /** The ranges compared row by row, with both sides' checksums. */
  leaves: MismatchedSegment[];
}

/**
 * Narrows a range whose checksums differ down to the differing keys, the data-diff way: cut the
 * range into `bisectionFactor` sub-ranges holding about equal rows, checksum the sub-ranges on
 * both sides, recurse into the ones that differ, and compare rows once a range holds at most
 * `leafRows` rows on each side. Below the first level the work follows the differing ranges,
 * not the table: a few changed rows cost a few small range checksums per level.
 */
export async function bisectRange(
  before: ChecksumSide,
  after: ChecksumSide,
  range: KeyRange,
  checksums: { before: SegmentChecksum; after: SegmentChecksum },
  options: ResolvedBisectionOptions,
  into: Bisection,
): Promise<void> {
  if (sameChecksum(checksums.before, checksums.after)) return;
  const counts = { before: checksums.before.rowCount, after: checksums.after.rowCount };
  const tooBig = Math.max(counts.before, counts.after) > options.leafRows;
  if (tooBig && (await splitAndBisect(before, after, range, counts, options, into))) return;
  await compareRows(before, after, range, checksums, into);
}

/**
 * One bisection level: cuts the range into `bisectionFactor` sub-ranges of about equal rows
 * (boundaries walked on the side with more rows), checksums them on both sides and bisects the
 * ones that differ. False when the range cannot be cut (nothing was done).
 */
export async function splitAndBisect(
  before: ChecksumSide,
  after: ChecksumSide,
  range: KeyRange,
  counts: { before: number; after: number },
  options: ResolvedBisectionOptions,
  into: Bisection,
): Promise<boolean> {
  const splitter = counts.before >= counts.after ? before : after;
  const every = Math.ceil(Math.max(counts.before, counts.after) / options.bisectionFactor);
  const boundaries = await sampleBoundaries(splitter, range, every);
  if (boundaries.length === 0) return false;
  const [beforeParts, afterParts] = await onBothSides(before, after, (side) => checksumRanges(side, range, boundaries));
  into.stats.checksumQueries += 1;
  const parts = splitRange(range, boundaries);
  for (let i = 0; i < parts.length; i += 1) {
    await bisectRange(before, after, parts[i], { before: beforeParts[i], after: afterParts[i] }, options, into);
  }
  return true;
}

/** Both sides at once when they are different connections; one after the other on a shared one. */
export async function onBothSides<T>(
  before: ChecksumSide,
  after: ChecksumSide,
  work: (side: ChecksumSide) => Promise<T>,
): Promise<[T, T]> {
  if (before.session === after.session) return [await work(before), await work(after)];
  return Promise.all([work(before), work(after)]);
}

async function compareRows(
  before: ChecksumSide,
  after: ChecksumSide,
  range: KeyRange,
  checksums: { before: SegmentChecksum; after: SegmentChecksum },
  into: Bisection,
): Promise<void> {
  const [beforeRows, afterRows] = await onBothSides(before, after, (side) => rowHashesInRange(side, range));
  into.stats.leafRanges += 1;
  into.stats.rowsFetched += beforeRows.length + afterRows.length;
  const { differences, duplicate } = diffRowHashes(beforeRows, afterRows);
  if (duplicate) {
    const side = duplicate.side === 'before' ? before : after;
    throw new DuplicateKeyError(side.relation, keyRecord(side.key.columns, duplicate.key));
  }
  for (const difference of differences) into.found.add(difference.kind, difference.key);
  const columns = before.key.columns;
  into.leaves.push({
    lower: range.lower ? keyRecord(columns, range.lower) : null,
    upper: range.upper ? keyRecord(columns, range.upper) : null,
    ...checksums,
  });
}
