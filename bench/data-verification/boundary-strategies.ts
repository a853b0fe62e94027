import type { Pool } from 'pg';
import { bestOf } from '../support/timing';

export interface BoundaryStrategyFigure {
  strategy: string;
  ms: number;
  boundaries: number;
  plan: string;
}

/**
 * Ways to find a boundary key every `every` rows of pgbench_accounts. The library uses the
 * first (keyset walking along the primary key's btree, one recursive query); the others are the
 * usual alternatives, measured so the choice is a figure, not a belief.
 */
function strategies(every: number, rows: number): Array<{ strategy: string; sql: string; values: unknown[] }> {
  const cuts = Math.max(1, Math.ceil(rows / every) - 1);
  return [
    {
      strategy: 'recursive keyset walk, OFFSET per step (used)',
      sql: `WITH RECURSIVE walk AS (
              (SELECT aid FROM pgbench_accounts ORDER BY aid OFFSET $1::int8 LIMIT 1)
              UNION ALL
              (SELECT found.aid FROM walk, LATERAL (SELECT t.aid FROM pgbench_accounts AS t WHERE t.aid > walk.aid
                                                     ORDER BY t.aid OFFSET $1::int8 - 1 LIMIT 1) AS found))
            SELECT aid FROM walk`,
      values: [every],
    },
    {
      strategy: 'row_number() over the key',
      sql: `SELECT aid FROM (SELECT aid, row_number() OVER (ORDER BY aid) AS p FROM pgbench_accounts) w
             WHERE p > 1 AND (p - 1) % $1::int8 = 0`,
      values: [every],
    },
    {
      strategy: 'percentile_disc',
      sql: `SELECT unnest(percentile_disc(ARRAY(SELECT g::float8 / ($1::int + 1) FROM generate_series(1, $1::int) g))
                   WITHIN GROUP (ORDER BY aid)) AS aid FROM pgbench_accounts`,
      values: [cuts],
    },
    {
      strategy: 'ntile()',
      sql: `SELECT min(aid) FROM (SELECT aid, ntile($1::int) OVER (ORDER BY aid) AS t FROM pgbench_accounts) s GROUP BY t`,
      values: [cuts + 1],
    },
  ];
}

export async function measureBoundaryStrategies(pool: Pool, every: number, rows: number): Promise<BoundaryStrategyFigure[]> {
  const figures: BoundaryStrategyFigure[] = [];
  for (const { strategy, sql, values } of strategies(every, rows)) {
    const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values);
    const run = await bestOf(5, () => pool.query(sql, values));
    figures.push({ strategy, ms: run.ms, boundaries: run.result.rowCount ?? 0, plan: planNodes(plan.rows.map((r) => r['QUERY PLAN'])) });
  }
  figures.push(await measureOffsetLoop(pool, every));
  return figures;
}

/** Keyset walking one boundary per query: `WHERE aid > last ORDER BY aid OFFSET every - 1 LIMIT 1`. */
async function measureOffsetLoop(pool: Pool, every: number): Promise<BoundaryStrategyFigure> {
  const sql = 'SELECT aid FROM pgbench_accounts WHERE aid > $1 ORDER BY aid OFFSET $2 LIMIT 1';
  const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [0, every - 1]);
  const run = await bestOf(3, async () => {
    let last = 0;
    let boundaries = 0;
    for (;;) {
      const next = await pool.query<{ aid: number }>(sql, [last, every - 1]);
      if (next.rows.length === 0) return boundaries;
      last = next.rows[0].aid;
      boundaries += 1;
    }
  });
  return { strategy: 'keyset walk, one query per boundary', ms: run.ms, boundaries: run.result, plan: planNodes(plan.rows.map((r) => r['QUERY PLAN'])) };
}

/** The plan's node names, outermost first: enough to see "Sort" or "Index Only Scan". */
function planNodes(lines: string[]): string {
  return lines
    .map((line) => /^\s*(?:->\s*)?([A-Z][A-Za-z ]+?)(?:\s+on\s|\s+using\s|\s*\()/.exec(line)?.[1])
    .filter((node): node is string => Boolean(node))
    .join(' ← ');
}
