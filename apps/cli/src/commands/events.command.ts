import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Pool } from 'pg';
import { prepareEventStore, ServiceRoleRefusedError } from '@bascule/service-kit';
import { DEFAULT_EVENT_STORE_URL, ensureDatabaseExists, parseLogSeal, sealLog, verificationReport, verifyChains, verifySeal, type LogSeal } from '@bascule/event-store';

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
 * `bascule events init [--admin-url URL] [--grant ROLE]`: applies the event store's DDL as an admin
 * and gives the services' role only what it needs (see docs/security.md, "Least privilege").
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
    .action((options: ConnectionOption & { out?: string; previous?: string }) =>
      withEventStore(options, async (pool) => {
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
    done(0, `event store ready${grant ? `; role "${grant}" may read the log and append to it, nothing more` : ''}`);
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
