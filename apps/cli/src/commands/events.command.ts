import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { apiRouteDataSourceOptions, prepareApiRouteStore } from '@bascule/api-route-store';
import { monitorDataSourceOptions, prepareMonitorStore } from '@bascule/monitor-store';
import { prepareEventStore, ServiceRoleRefusedError } from '@bascule/service-kit';
import { durationToMs } from '@bascule/contracts';
import { DEFAULT_EVENT_STORE_URL, ensureDatabaseExists, parseLogSeal, sealIntoDirectory, sealLog, verificationReport, verifyChains, verifySeal, type LogSeal } from '@bascule/event-store';

const INSUFFICIENT_PRIVILEGE = '42501';

const NO_EVENT_STORE: Record<string, string> = {
  '3D000': 'the database does not exist',
  '42P01': 'the database has no event store (table bascule.events is missing)',
};

interface ConnectionOption {
  databaseUrl?: string;
}

/**
 * `bascule events verify [--seal FILE]`: recomputes every stream's hash chain and, with a seal,
 * checks that nothing the seal saw is gone. Exit 0 with a summary when intact; exit 1 naming the
 * first difference; exit 2 when there is nothing to verify or the seal cannot be read.
 * `bascule events seal [--out FILE] [--previous FILE]`: records the log's heads, to keep outside
 * the database (see docs/event-store.md, "Tamper evidence").
 * `bascule events init [--admin-url URL] [--grant ROLE]`: applies the event store's DDL and the
 * monitor's and api-agent's TypeORM migrations as an admin, and gives the services' role only what
 * it needs (see docs/security.md, "Least privilege").
 */
export function registerEventsCommands(program: Command): void {
  const events = program.command('events').description('inspect the append-only event store');
  events
    .command('verify')
    .description('recompute the hash chains of bascule.events and name the first altered event; with --seal, also what was deleted since the seal')
    .option('--database-url <url>', 'event store connection (env BASCULE_DATABASE_URL)')
    .option('--seal <file>', 'a seal written by `bascule events seal`: every stream, version and event it saw must still be there')
    .action((options: ConnectionOption & { seal?: string }) =>
      withEventStore(options, async (pool) => {
        const seal = options.seal ? readSeal(options.seal) : null;
        const report = verificationReport(await verifyChains(pool));
        if (report.exitCode !== 0 || !seal) return done(report.exitCode, report.message);
        const sealed = await verifySeal(pool, seal);
        if (!sealed.ok) return done(1, `event store TAMPERED since the seal of ${seal.sealedAt}: ${sealed.reason}`);
        return done(0, `${report.message}; all ${sealed.streams} streams of the seal of ${seal.sealedAt} still hold what it saw`);
      }),
    );
  events
    .command('init')
    .description("create or upgrade the event store's tables as an admin; with --grant, give the services' role only INSERT and SELECT on the log")
    .option('--admin-url <url>', 'a connection that owns schema bascule (env BASCULE_ADMIN_DATABASE_URL, then BASCULE_DATABASE_URL)')
    .option('--grant <role>', 'the existing role the services connect as (not a superuser, not the owner)')
    .action((options: { adminUrl?: string; grant?: string }) => initEventStore(options.adminUrl ?? process.env.BASCULE_ADMIN_DATABASE_URL, options.grant));
  events
    .command('seal')
    .description("record every stream's head and the event count, to keep outside the database")
    .option('--database-url <url>', 'event store connection (env BASCULE_DATABASE_URL)')
    .option('--out <file>', 'write the seal here (default: stdout)')
    .option('--previous <file>', 'the previous seal: the new one names its digest, so seals form a chain')
    .option('--dir <dir>', 'write the seal into this directory, chained to the newest seal there (seal-<time>.json)')
    .option('--every <duration>', 'with --dir: keep sealing at this interval (10m, 1h, ...) until stopped')
    .action((options: ConnectionOption & { out?: string; previous?: string; dir?: string; every?: string }) =>
      withEventStore(options, async (pool) => {
        if (options.dir) return sealIntoDir(pool, options.dir, options.every);
        if (options.every) return done(2, '--every needs --dir: where each seal of the chain is kept');
        const previous = options.previous ? readSeal(options.previous) : null;
        const seal = await sealLog(pool, previous);
        const text = `${JSON.stringify(seal, null, 2)}\n`;
        if (!options.out) return done(0, text.trimEnd());
        try {
          writeFileSync(options.out, text);
        } catch (error) {
          return done(2, `cannot write ${options.out} (${(error as NodeJS.ErrnoException).code ?? 'error'}); the seal was not saved`);
        }
        return done(0, `sealed ${seal.events} events in ${seal.streams.length} streams through position ${seal.throughPosition}: ${options.out} (digest ${seal.digest})`);
      }),
    );
}

/** One seal into `dir`, or with `every` one per interval until SIGINT/SIGTERM: a sidecar keeping the chain off the database's machine. */
async function sealIntoDir(pool: Pool, dir: string, every: string | undefined): Promise<void> {
  const intervalMs = every === undefined ? null : durationToMs(every);
  if (every !== undefined && (intervalMs === null || intervalMs < 1_000)) return done(2, `--every "${every}" is not a duration of at least 1s (like 30s, 10m, 1h)`);
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    do {
      let sealed: Awaited<ReturnType<typeof sealIntoDirectory>>;
      try {
        sealed = await sealIntoDirectory(pool, dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code && /^E[A-Z]+$/.test(code)) return done(2, `cannot write into ${dir} (${code}); no seal saved`);
        throw error;
      }
      process.stdout.write(`sealed ${sealed.seal.events} events in ${sealed.seal.streams.length} streams: ${sealed.path} (previous ${sealed.seal.previous ?? 'none'})\n`);
      const until = Date.now() + (intervalMs ?? 0);
      while (intervalMs !== null && !stopped && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, Math.min(500, until - Date.now())));
    } while (intervalMs !== null && !stopped);
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
  process.exitCode = 0;
}

function done(exitCode: number, message: string): void {
  (exitCode === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exitCode = exitCode;
}

class SealUnreadableError extends Error {}

function readSeal(path: string): LogSeal {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SealUnreadableError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return parseLogSeal(text, path);
  } catch (error) {
    throw new SealUnreadableError((error as Error).message);
  }
}

async function initEventStore(adminUrl: string | undefined, grant: string | undefined): Promise<void> {
  const url = adminUrl ?? process.env.BASCULE_DATABASE_URL ?? DEFAULT_EVENT_STORE_URL;
  await ensureDatabaseExists(url);
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await prepareEventStore(pool, grant);
    await prepareMonitorTables(url, grant);
    done(0, `event store, monitor and route tables ready${grant ? `; role "${grant}" may read the log and append to it, and keep the monitor's and the api-agent's state, nothing more` : ''}`);
  } catch (error) {
    if (error instanceof ServiceRoleRefusedError) return done(2, `nothing granted: ${error.message}`);
    if ((error as { code?: string }).code === INSUFFICIENT_PRIVILEGE) {
      return done(2, `the admin connection may not do this (${(error as Error).message}); use a role that owns schema bascule (--admin-url)`);
    }
    throw error;
  } finally {
    await pool.end();
  }
}

/** The monitor's and the api-agent's TypeORM migrations and grants, on the same database, as the same admin. */
async function prepareMonitorTables(url: string, grant: string | undefined): Promise<void> {
  for (const [options, prepare] of [
    [monitorDataSourceOptions(url, 'bascule-cli'), prepareMonitorStore],
    [apiRouteDataSourceOptions(url, 'bascule-cli'), prepareApiRouteStore],
  ] as const) {
    const dataSource = await new DataSource({ ...options, extra: { max: 1 } }).initialize();
    try {
      await prepare(dataSource, grant);
    } finally {
      await dataSource.destroy();
    }
  }
}

async function withEventStore(options: ConnectionOption, work: (pool: Pool) => Promise<void>): Promise<void> {
  const url = options.databaseUrl ?? process.env.BASCULE_DATABASE_URL ?? DEFAULT_EVENT_STORE_URL;
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await work(pool);
  } catch (error) {
    if (error instanceof SealUnreadableError) return done(2, error.message);
    const missing = NO_EVENT_STORE[(error as { code?: string }).code ?? ''];
    if (!missing) throw error;
    // Never echo the URL: it may carry a password.
    done(2, `cannot verify: ${missing}; check --database-url / BASCULE_DATABASE_URL`);
  } finally {
    await pool.end();
  }
}
