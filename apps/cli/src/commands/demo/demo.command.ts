import { resolve } from 'node:path';
import { isServiceKitError, parsePort } from '@bascule/service-kit';
import type { Command } from 'commander';
import { UpError } from '../../up/up.errors';
import { findWorkspaceRoot } from '../../up/workspace-root';
import { DEMO_BASE_PORT } from './demo-environment';
import { DEFAULT_LOG_DIR, runDemo } from './demo-run';
import { MigrationWaitError } from '../migrations/migration-watch';
import { PlannerRequestError } from '../migrations/planner-client';
import type { ServiceStack } from './service-stack';

interface DemoCommandOptions {
  basePort: string;
  postgres: string;
  nats: string;
  logDir: string;
}

/** `bascule demo`: the product's whole story in one command (README's first command). */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('sample shop under a live write load, six services, a migration completed and one rolled back by the on-call command')
    .option('--base-port <port>', 'planner listens here, the other services on the next five ports', String(DEMO_BASE_PORT))
    .option('--postgres <url>', 'Postgres server; the demo (re)creates databases bascule_demo_app and bascule_demo_events on it', 'postgres://root@127.0.0.1:5432/postgres')
    .option('--nats <url>', 'NATS server with JetStream; the demo uses bus prefix "demo"', process.env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .option('--log-dir <dir>', "each service's log lines go to <dir>/<service>.log", DEFAULT_LOG_DIR)
    .action(async (options: DemoCommandOptions) => {
      process.exit(await demo(options));
    });
}

async function demo(options: DemoCommandOptions): Promise<number> {
  const say = (line = '') => void process.stdout.write(`${line}\n`);
  const aborted = new AbortController();
  let stack: ServiceStack | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C means "now": no grace period for the services.
    if (aborted.signal.aborted) stack?.killAll();
    else process.stderr.write(`\nbascule demo: ${signal}: stopping the write load and the services (Ctrl-C again to kill them now)\n`);
    aborted.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runDemo({
      root: findWorkspaceRoot(__dirname),
      serverUrl: options.postgres,
      natsUrl: options.nats,
      basePort: parsePort(options.basePort, '--base-port'),
      logDir: resolve(options.logDir),
      signal: aborted.signal,
      onStack: (started) => (stack = started),
      say,
    });
  } catch (error) {
    if (aborted.signal.aborted) {
      process.stderr.write('bascule demo: interrupted; every service it started is stopped\n');
      return 130;
    }
    if (error instanceof UpError || isServiceKitError(error) || error instanceof PlannerRequestError || error instanceof MigrationWaitError) {
      process.stderr.write(`bascule demo: ${error.message}\n  service logs: ${resolve(options.logDir)}/<service>.log\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
