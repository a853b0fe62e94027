import type { Pool } from 'pg';

/** The knob probe's latency before any change: large enough that pg_sleep's 1 ms steps are 5 % of it. */
export const BASE_DELAY_MS = 20;
export const ITEM_ROWS = 200_000;
/** Rows per value of the coarse column `g`: what the probe reads and filters once its key index is gone. */
export const ROWS_PER_GROUP = 1_000;
const PROBED_KEY = 123_456;

/**
 * One row per lane: `lookup(lane)` sleeps `delay_ms` ±10 % (a query with a little noise, as in
 * monitor.int-spec.ts) and raises an error with probability `error_rate`. Lanes let runs overlap
 * without one run's change reaching another's probe.
 */
const KNOBS_SQL = `
  CREATE TABLE knobs (lane integer PRIMARY KEY, delay_ms float8 NOT NULL, error_rate float8 NOT NULL);
  CREATE FUNCTION lookup(wanted integer) RETURNS void LANGUAGE plpgsql AS $$
  DECLARE knob knobs%ROWTYPE;
  BEGIN
    SELECT * INTO STRICT knob FROM knobs WHERE lane = wanted;
    IF random() < knob.error_rate THEN RAISE EXCEPTION 'injected probe failure (lane %)', wanted; END IF;
    PERFORM pg_sleep(knob.delay_ms / 1000.0 * (0.9 + random() * 0.2));
  END $$`;

/**
 * A table like an application's: rows in random physical order (as years of inserts and updates
 * leave them), a unique key `k` with its index, and a coarse column `g` with its own index. The
 * probe asks for one key; without the key index Postgres reads the key's whole group through the
 * `g` index (a thousand rows on as many pages) and filters them: the regression a migration that
 * drops or replaces an index causes.
 */
const ITEMS_SQL = `
  CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, k integer NOT NULL, g integer NOT NULL, payload text NOT NULL);
  INSERT INTO items (k, g, payload)
    SELECT key, key / ${ROWS_PER_GROUP}, md5(key::text) || md5((key + 1)::text) FROM generate_series(1, ${ITEM_ROWS}) AS key ORDER BY random();
  CREATE INDEX items_k ON items (k);
  CREATE INDEX items_g ON items (g)`;

export const knobProbeSql = (lane: number) => `SELECT lookup(${lane})`;
export const ITEM_PROBE_SQL = `SELECT id FROM items WHERE g = ${Math.floor(PROBED_KEY / ROWS_PER_GROUP)} AND k = ${PROBED_KEY}`;

/** The scratch target's tables and the writes that change what its probes see (on a read-write pool, never the probes'). */
export class ProbeTarget {
  constructor(private readonly admin: Pool) {}

  async create(knobLanes: number): Promise<void> {
    await this.admin.query(KNOBS_SQL);
    for (let lane = 1; lane <= knobLanes; lane++) await this.admin.query('INSERT INTO knobs VALUES ($1, $2, 0)', [lane, BASE_DELAY_MS]);
    await this.admin.query(ITEMS_SQL);
    // Its own statement: VACUUM cannot run in the implicit transaction of a multi-statement query.
    await this.admin.query('VACUUM ANALYZE items');
  }

  async setKnob(lane: number, delayMs: number, errorRate: number): Promise<void> {
    await this.admin.query('UPDATE knobs SET delay_ms = $2, error_rate = $3 WHERE lane = $1', [lane, delayMs, errorRate]);
  }

  async resetKnob(lane: number): Promise<void> {
    await this.setKnob(lane, BASE_DELAY_MS, 0);
  }

  /** DROP INDEX waits for the probes' short AccessShare locks, then every later probe plans without it. */
  async dropKeyIndex(): Promise<void> {
    await this.admin.query('DROP INDEX items_k');
  }

  async restoreKeyIndex(): Promise<void> {
    await this.admin.query('CREATE INDEX IF NOT EXISTS items_k ON items (k)');
  }

  /** The plan the item probe gets now (its top node and the index it uses), to show what the change did. */
  async itemProbePlan(): Promise<string> {
    const { rows } = await this.admin.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${ITEM_PROBE_SQL}`);
    return rows.map((row) => row['QUERY PLAN'].trim().replace(/^->\s*/, '')).join(' ← ');
  }
}
