import type { BoundaryStrategyFigure } from './boundary-strategies';

export const SECTION_HEADING = '## Checksums';

export interface ScanFigure {
  what: string;
  ms: number;
  rowsPerSecond: number;
}

export interface BisectionFigure {
  what: string;
  ms: number;
  found: number;
  detail: string;
}

export interface ChecksumFigures {
  date: string;
  cpus: number;
  /** 1-minute load average when the bench started: other work on the machine skews every figure. */
  loadAverage: number;
  postgres: string;
  scale: number;
  rows: number;
  tableSize: string;
  scans: ScanFigure[];
  countMs: number;
  boundaries: BoundaryStrategyFigure[];
  segmentRows: number;
  bisection: BisectionFigure[];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function renderSection(f: ChecksumFigures): string {
  return [
    SECTION_HEADING,
    '',
    `Measured ${f.date} with \`npm run bench:checksum\` (BENCH_SCALE=${f.scale}: \`pgbench -i -s ${f.scale}\` into a scratch`,
    `database, pgbench_accounts = ${int(f.rows)} rows, ${f.tableSize}, vacuumed) on ${f.cpus} vCPUs shared with other`,
    `work (load average ${f.loadAverage.toFixed(1)} at the start), PostgreSQL ${f.postgres}, default settings`,
    '(max_parallel_workers_per_gather = 2). Warm cache; scans best of 5, comparisons best of 3, the row-level',
    'baseline one run. On a shared machine the ratios matter more than the absolute times.',
    '',
    '| Scan of the whole table | time | rows/s | vs `count(*)` |',
    '| --- | ---: | ---: | ---: |',
    ...f.scans.map((s) => `| ${s.what} | ${int(s.ms)} ms | ${int(s.rowsPerSecond)} | ${(s.ms / f.countMs).toFixed(1)}× |`),
    '',
    `Segment boundaries every ${int(f.segmentRows)} keys (the walk alone, before any checksum):`,
    '',
    '| Strategy | time | boundaries | plan |',
    '| --- | ---: | ---: | --- |',
    ...f.boundaries.map((b) => `| ${b.strategy} | ${int(b.ms)} ms | ${int(b.boundaries)} | ${b.plan} |`),
    '',
    'Finding 10 changed rows (an `UPDATE` of 10 keys spread over the table; md5, defaults: 32-way',
    'bisection, 1 000-row leaves):',
    '',
    '| Comparison | time | keys found | work |',
    '| --- | ---: | ---: | --- |',
    ...f.bisection.map((b) => `| ${b.what} | ${int(b.ms)} ms | ${b.found} | ${b.detail} |`),
    '',
    'Reading. A checksum is one streaming aggregate per scan (no sort, nothing copied), so its cost over',
    '`count(*)` is the per-row work: printing the row as text, then hashing it (md5 is most of it;',
    '`hashtextextended` is cheaper but not collision-resistant against a crafted edit). Segment checksums',
    'come from one scan grouped by `width_bucket(key, boundaries)`. The planner estimates one group per key',
    'there and would sort the whole table (Sort + GroupAggregate, spilling to temp files on a big table), so',
    'the library turns `enable_sort` off for that one statement and gets a HashAggregate over k + 1 groups;',
    'that plan runs without parallel workers, so compare `takeBaseline` with the "no parallel workers"',
    'whole-table line. Boundaries come from a recursive keyset walk along the key (index-only, no sort).',
    'A segment baseline comparison costs one scan and names segments; naming keys costs one scan per side',
    'plus a few small range checksums per bisection level, against a row-level baseline (key + 8 bytes per',
    'row stored at baseline time) or against a second live table.',
    '',
  ].join('\n');
}
