import type { Command } from 'commander';
import { Pool } from 'pg';
import { DEFAULT_EVENT_STORE_URL, verificationReport, verifyChains } from '@bascule/event-store';

const NO_EVENT_STORE: Record<string, string> = {
  '3D000': 'the database does not exist',
  '42P01': 'the database has no event store (table bascule.events is missing)',
};

/**
 * `bascule events verify`: recomputes every stream's hash chain. Exit 0 with a summary when
 * intact; exit 1 naming the first altered event (stream, version, global position) otherwise;
 * exit 2 when there is no event store to verify.
 */
export function registerEventsCommands(program: Command): void {
  const events = program.command('events').description('inspect the append-only event store');
  events
    .command('verify')
    .description('recompute the hash chains of bascule.events and name the first altered event')
    .option('--database-url <url>', 'event store connection (env BASCULE_DATABASE_URL)')
    .action(async (options: { databaseUrl?: string }) => {
      const url = options.databaseUrl ?? process.env.BASCULE_DATABASE_URL ?? DEFAULT_EVENT_STORE_URL;
      const pool = new Pool({ connectionString: url, max: 1 });
      try {
        const report = verificationReport(await verifyChains(pool));
        (report.exitCode === 0 ? process.stdout : process.stderr).write(`${report.message}\n`);
        process.exitCode = report.exitCode;
      } catch (error) {
        const missing = NO_EVENT_STORE[(error as { code?: string }).code ?? ''];
        if (!missing) throw error;
        // Never echo the URL: it may carry a password.
        process.stderr.write(`cannot verify: ${missing}; check --database-url / BASCULE_DATABASE_URL\n`);
        process.exitCode = 2;
      } finally {
        await pool.end();
      }
    });
}
