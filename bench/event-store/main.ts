import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { Pool } from 'pg';
import { DEFAULT_EVENT_STORE_URL, ensureEventStoreSchema } from '@bascule/event-store';
import { busTopology, ensureStreams } from '@bascule/messaging';
import { measureAppend, measureInsertCeiling, summarize, type ThroughputRow } from './append-throughput';
import { upsertSection } from '../support/benchmarks-doc';
import { SECTION_HEADING } from './render-section';
import { fillLog, measureProjectionReplay, measureReadAll } from './replay-throughput';
import { measureRelayBacklog, measureRelayLag, medianLag } from './relay-throughput';
import { renderSection } from './render-section';
import { createScratchDatabase } from './scratch-database';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPLAY_EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 1_000_000);
const RELAY_BACKLOG = Number(process.env.BENCH_RELAY_BACKLOG ?? 200_000);
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 5000);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 20);
const LAG_ROUNDS = Number(process.env.BENCH_LAG_ROUNDS ?? 3);
const WRITER_COUNTS = [1, 4, 16];

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const scratch = await createScratchDatabase(process.env.BASCULE_DATABASE_URL ?? DEFAULT_EVENT_STORE_URL);
  const pool = new Pool({ connectionString: scratch.url, max: 20 });
  // Dropping the scratch database at the end terminates sessions pool.end() has not closed yet.
  pool.on('error', () => undefined);
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'bench-event-store' });
  const topology = busTopology(`benches${process.pid}`);
  try {
    await ensureEventStoreSchema(pool);
    await ensureStreams(await nc.jetstreamManager(), topology);
    const loadBefore = loadavg()[0];
    const samples = new Map<string, number[]>();
    const record = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value]);
    // Rounds interleave the ceiling and the appends, so a burst of load from other work on this
    // shared machine hits both alike; the medians are reported.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const writers of WRITER_COUNTS) {
        const plain = await measureInsertCeiling(pool, writers, SECONDS);
        record(`ceiling:${writers}`, plain.eventsPerSecond);
        log(`round ${round} ceiling   ${writers} writers: ${plain.eventsPerSecond.toFixed(0)} rows/s`);
        for (const batch of [1, 10]) {
          const row = await measureAppend(pool, writers, batch, SECONDS, `${round}-${writers}x${batch}`);
          record(`append:${writers}:${batch}`, row.eventsPerSecond);
          log(`round ${round} append    ${writers} writers x ${batch}: ${row.eventsPerSecond.toFixed(0)} events/s`);
        }
      }
    }
    const ceiling: ThroughputRow[] = WRITER_COUNTS.map((writers) => summarize(writers, 1, samples.get(`ceiling:${writers}`) ?? []));
    const append: ThroughputRow[] = WRITER_COUNTS.flatMap((writers) =>
      [1, 10].map((batch) => summarize(writers, batch, samples.get(`append:${writers}:${batch}`) ?? [])),
    );
    await fillLog(pool, REPLAY_EVENTS, (n) => n % 100_000 < 2000 && log(`fill      ${n} events`));
    await pool.query('VACUUM ANALYZE bascule.events');
    const readAll = await measureReadAll(pool);
    log(`read-all  ${readAll.events} events: ${readAll.eventsPerSecond.toFixed(0)} events/s`);
    const replay = await measureProjectionReplay(pool);
    log(`replay    ${replay.events} events: ${replay.eventsPerSecond.toFixed(0)} events/s`);
    const relay = await measureRelayBacklog(pool, nc, topology, RELAY_BACKLOG);
    log(`relay     ${relay.events} events: ${relay.eventsPerSecond.toFixed(0)} events/s`);
    // Rounds alternate the two conditions, so a burst of load from other work (or autovacuum on
    // the million-event log) hits both alike; the medians are reported.
    const lagRounds: Array<Awaited<ReturnType<typeof measureRelayLag>>> = [];
    const lagBesideOpenRounds: typeof lagRounds = [];
    for (let round = 1; round <= LAG_ROUNDS; round++) {
      const plain = await measureRelayLag(pool, nc, topology, LAG_RATE, LAG_SECONDS, false);
      lagRounds.push(plain);
      log(`round ${round} lag at ${plain.achievedRate.toFixed(0)} events/s: p50 ${plain.p50} ms, p99 ${plain.p99} ms, max ${plain.max} ms`);
      const besideOpen = await measureRelayLag(pool, nc, topology, LAG_RATE, LAG_SECONDS, true);
      lagBesideOpenRounds.push(besideOpen);
      log(`round ${round} lag beside an open transaction at ${besideOpen.achievedRate.toFixed(0)} events/s: p50 ${besideOpen.p50} ms, p99 ${besideOpen.p99} ms, max ${besideOpen.max} ms`);
    }
    const lag = medianLag(lagRounds);
    const lagBesideOpen = medianLag(lagBesideOpenRounds);

    const loadAfter = loadavg()[0];
    const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
    const section = renderSection({
      date: new Date().toISOString(),
      nproc: cpus().length,
      postgres: rows[0].server_version,
      nats: nc.info?.version ?? 'unknown',
      seconds: SECONDS,
      ceiling, append, readAll, replay, relay, lag, lagBesideOpen,
      lagRate: LAG_RATE,
      lagSeconds: LAG_SECONDS,
      lagRounds: LAG_ROUNDS,
      rounds: ROUNDS,
      loadAverage: [loadBefore, loadAfter],
    });
    upsertSection(join(process.cwd(), 'docs', 'benchmarks.md'), SECTION_HEADING, section);
    log('wrote the "Event store" section of docs/benchmarks.md');
  } finally {
    const jsm = await nc.jetstreamManager();
    for (const stream of [topology.eventsStream, topology.commandsStream]) await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await pool.end();
    await scratch.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:event-store failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
