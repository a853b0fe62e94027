import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { authenticationConfigured, isServiceKitError, parsePort } from '@bascule/service-kit';
import type { Command } from 'commander';
import { fileSink, prefixedStdoutSink } from '../up/log-sink';
import { duplicatePorts, planServices } from '../up/service-plan';
import { superviseServices } from '../up/supervisor';
import { InvalidUpOptionError, ServiceNotBuiltError, UpError } from '../up/up.errors';
import { DIST_PATHS, findWorkspaceRoot } from '../up/workspace-root';

interface UpOptions {
  basePort?: string;
  timeout: string;
  grace: string;
  logDir?: string;
}

/** `bascule up`: the six services as separate processes, healthy, until Ctrl-C. */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('start the six services as separate processes, wait until each is healthy, stop them all on Ctrl-C')
    .option('--base-port <port>', 'planner listens here, the others on the next five ports (default: 3000-3005); BASCULE_PORT_<SERVICE> overrides one')
    .option('--timeout <seconds>', 'how long each service may take to answer 200 on /health', '60')
    .option('--grace <seconds>', 'how long a stopping service gets before SIGKILL', '10')
    .option('--log-dir <dir>', "write each service's log lines to <dir>/<service>.log instead of prefixing them on stdout")
    .action(async (options: UpOptions) => {
      process.exit(await up(options));
    });
}

async function up(options: UpOptions): Promise<number> {
  try {
    const root = findWorkspaceRoot(__dirname);
    const plan = planServices(root, process.env, options.basePort === undefined ? undefined : parsePort(options.basePort, '--base-port'));
    const clash = duplicatePorts(plan);
    if (clash) throw new InvalidUpOptionError('ports', clash, 'one port per service');
    const missing = plan.find((service) => !existsSync(service.entry));
    if (missing) throw new ServiceNotBuiltError(missing.entry);
    const sink = options.logDir ? fileSink(resolve(options.logDir)) : prefixedStdoutSink(plan.map((service) => service.name));
    if (options.logDir) process.stdout.write(`service logs: ${resolve(options.logDir)}/<service>.log\n`);
    process.stdout.write(
      authenticationConfigured(process.env)
        ? 'REST authentication on: the planner takes bearer tokens (BASCULE_TOKENS_FILE / BASCULE_OIDC_*), the actor is the token subject\n'
        : 'REST authentication off (no BASCULE_TOKENS_FILE, no BASCULE_OIDC_*): every service listens on 127.0.0.1 only, X-Bascule-User names the actor\n',
    );
    return await superviseServices({
      plan,
      distPaths: join(root, DIST_PATHS),
      env: process.env,
      sink,
      healthTimeoutMs: seconds('--timeout', options.timeout) * 1000,
      graceMs: seconds('--grace', options.grace) * 1000,
      say: (line) => void process.stdout.write(`${line}\n`),
      warn: (line) => void process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    if (!(error instanceof UpError) && !isServiceKitError(error)) throw error;
    process.stderr.write(`bascule up: ${error.message}\n`);
    return 1;
  }
}

function seconds(option: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidUpOptionError(option, value, 'a positive number of seconds');
  return parsed;
}
