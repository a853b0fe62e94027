import { assertDependenciesReachable, dependencyUrls } from '@bascule/service-kit';
import { clip, describeExit } from './exit-description';
import type { LogSink } from './log-sink';
import { RestartBackoff } from './restart-backoff';
import { ServiceProcess } from './service-process';
import type { PlannedService } from './service-plan';
import { ServiceExitedError, ServiceUnhealthyError, UpError } from './up.errors';
import { waitUntilHealthy } from './wait-healthy';

export interface SupervisorOptions {
  plan: PlannedService[];
  distPaths: string;
  env: NodeJS.ProcessEnv;
  sink: LogSink;
  healthTimeoutMs: number;
  graceMs: number;
  say: (line: string) => void;
  warn: (line: string) => void;
}

type Outcome = { kind: 'stop'; signal: NodeJS.Signals } | { kind: 'failed'; error: UpError };

/**
 * Runs the six services until Ctrl-C/SIGTERM (exit 0). A service that fails to become healthy or
 * exits while they start ends `up` (exit 1): that is a configuration to fix, not a crash to retry.
 * Once all six were healthy, a service that exits is restarted with backoff (RestartBackoff) and a
 * line on stderr names it, its exit and the restart; the other five keep running. Every child is
 * stopped on the way out, so `up` leaves no process behind.
 */
export async function superviseServices(options: SupervisorOptions): Promise<number> {
  const { plan, say, warn } = options;
  await assertDependenciesReachable(dependencyUrls(options.env));

  let settle!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  let stopping = false;
  let signalled = false;
  const children: ServiceProcess[] = [];
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C means "now": skip the grace period.
    if (signalled) children.forEach((child) => child.kill());
    // Set at once: a terminal's Ctrl-C also reaches the children, whose clean exits are then expected.
    signalled = stopping = true;
    settle({ kind: 'stop', signal });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let allHealthy = false;
  const backoffs = new Map(plan.map((service) => [service.name, new RestartBackoff()]));
  const launch = (service: PlannedService, index: number): ServiceProcess => {
    const child = new ServiceProcess(service, options.distPaths, options.env, options.sink);
    const startedAt = Date.now();
    children[index] = child;
    say(`starting ${service.name} on port ${service.port} (pid ${child.pid})`);
    void child.exited.then(async (exit) => {
      if (stopping) return;
      if (!allHealthy) return settle({ kind: 'failed', error: new ServiceExitedError(child.name, describeExit(exit), clipped(child)) });
      const { delayMs, restart } = backoffs.get(service.name)!.next(Date.now() - startedAt);
      warn(`bascule up: ${child.name} ${describeExit(exit)} (last log line: ${clipped(child) ?? 'none'}); restarting it in ${delayMs / 1000}s (restart ${restart}), the other services keep running`);
      await sleepUnless(delayMs, () => stopping);
      if (stopping) return;
      const restarted = launch(service, index);
      const healthy = await waitUntilHealthy(service.url, Date.now() + options.healthTimeoutMs, () => stopping || restarted.hasExited);
      if (healthy && !stopping) say(`${service.name}  ${service.url}  healthy again  pid ${restarted.pid}`);
      // Not healthy in time: stop it; its exit brings the next restart, later.
      else if (!stopping && !restarted.hasExited) void restarted.stop(options.graceMs);
    });
    return child;
  };

  try {
    plan.forEach((service, index) => launch(service, index));
    void waitForAllHealthy(children, options.healthTimeoutMs, () => stopping).then((unhealthy) => {
      if (unhealthy) {
        const { service } = unhealthy;
        settle({
          kind: 'failed',
          error: new ServiceUnhealthyError(service.name, `${service.url}/health`, options.healthTimeoutMs / 1000, clipped(unhealthy)),
        });
        return;
      }
      if (stopping || children.some((child) => child.hasExited)) return;
      allHealthy = true;
      const width = Math.max(...plan.map((service) => service.name.length));
      for (const child of children) say(`${child.name.padEnd(width)}  ${child.service.url}  healthy  pid ${child.pid}`);
      say(`all ${children.length} services healthy; Ctrl-C stops them`);
    });

    const result = await outcome;
    stopping = true;
    if (result.kind === 'failed') warn(`bascule up: ${result.error.message}`);
    await stopAll(children, options, result.kind === 'stop' ? `on ${result.signal}` : 'after the failure above');
    return result.kind === 'stop' ? 0 : 1;
  } finally {
    stopping = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    children.forEach((child) => child.kill());
    await options.sink.close();
  }
}

/** The first child that is not healthy in time (or exited first), or undefined when all six are. */
async function waitForAllHealthy(
  children: ServiceProcess[],
  timeoutMs: number,
  stopping: () => boolean,
): Promise<ServiceProcess | undefined> {
  const deadline = Date.now() + timeoutMs;
  const results = await Promise.all(
    children.map(async (child) => ({
      child,
      healthy: await waitUntilHealthy(child.service.url, deadline, () => stopping() || child.hasExited),
    })),
  );
  // An exited child is reported by its exit, with its code: do not also call it unhealthy.
  return results.find(({ child, healthy }) => !healthy && !child.hasExited && !stopping())?.child;
}

async function stopAll(children: ServiceProcess[], options: SupervisorOptions, why: string): Promise<void> {
  const running = children.filter((child) => !child.hasExited);
  if (running.length > 0) {
    options.say(`stopping ${running.length} service(s) ${why} (SIGTERM, SIGKILL after ${options.graceMs / 1000}s)`);
  }
  await Promise.all(
    running.map(async (child) => {
      const exit = await child.stop(options.graceMs);
      options.say(`${child.name} stopped (${describeExit(exit)})`);
    }),
  );
  options.say('all services stopped');
}

/** Waits `ms`, returning early (checked every 100 ms) once `stop()` says so. */
async function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stop()) await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - Date.now())));
}

function clipped(child: ServiceProcess): string | undefined {
  const line = child.lastLogLine;
  return line === undefined ? undefined : clip(line);
}
