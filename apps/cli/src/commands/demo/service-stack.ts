import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@bascule/service-kit';
import { describeExit, type ExitStatus } from '../../up/exit-description';
import type { LogSink } from '../../up/log-sink';
import { planServices, type PlannedService } from '../../up/service-plan';
import { ServiceProcess } from '../../up/service-process';
import { ServiceExitedError, ServiceNotBuiltError, ServiceUnhealthyError } from '../../up/up.errors';
import { waitUntilHealthy } from '../../up/wait-healthy';
import { DIST_PATHS } from '../../up/workspace-root';

export interface ServiceStackOptions {
  /** The checkout: services run from its dist/. */
  root: string;
  /** Environment of every service (event store, bus prefix, targets). */
  env: NodeJS.ProcessEnv;
  /** Planner's port; the other five on the next five (as `bascule up --base-port`). */
  basePort?: number;
  sink: LogSink;
  healthTimeoutMs: number;
}

/**
 * The six services as separate processes, started with `bascule up`'s machinery, for a caller
 * that drives them (the demo, e2e tests, benches): one service can be killed and started again
 * (a crash mid-migration), and `stop()` leaves no process behind.
 */
export class ServiceStack {
  private readonly processes = new Map<ServiceName, ServiceProcess>();
  private readonly plan: PlannedService[];

  private constructor(private readonly options: ServiceStackOptions) {
    this.plan = planServices(options.root, options.env, options.basePort);
    const missing = this.plan.find((service) => !existsSync(service.entry));
    if (missing) throw new ServiceNotBuiltError(missing.entry);
  }

  /** Starts all six and resolves once each answers 200 on /health; on failure stops them all and throws. */
  static async start(options: ServiceStackOptions): Promise<ServiceStack> {
    const stack = new ServiceStack(options);
    try {
      await Promise.all(stack.plan.map((service) => stack.launch(service.name)));
    } catch (error) {
      await stack.stop(2_000);
      throw error;
    }
    return stack;
  }

  url(name: ServiceName): string {
    return this.service(name).url;
  }

  pid(name: ServiceName): number | undefined {
    return this.processes.get(name)?.pid;
  }

  pids(): Map<ServiceName, number | undefined> {
    return new Map([...this.processes].map(([name, child]) => [name, child.pid]));
  }

  /** SIGKILL, as a crash: nothing is closed cleanly. Resolves once the process is gone. */
  async kill(name: ServiceName): Promise<ExitStatus | undefined> {
    const child = this.processes.get(name);
    if (!child) return undefined;
    child.kill();
    return child.exited;
  }

  /** Starts a (stopped or killed) service again on the same port and waits until it is healthy. */
  async launch(name: ServiceName): Promise<void> {
    const service = this.service(name);
    const previous = this.processes.get(name);
    if (previous && !previous.hasExited) throw new Error(`${name} is still running (pid ${previous.pid})`);
    const child = new ServiceProcess(service, join(this.options.root, DIST_PATHS), this.options.env, this.options.sink);
    this.processes.set(name, child);
    const deadline = Date.now() + this.options.healthTimeoutMs;
    const healthy = await waitUntilHealthy(service.url, deadline, () => child.hasExited);
    if (healthy) return;
    const lastLine = child.lastLogLine;
    if (child.hasExited) throw new ServiceExitedError(name, describeExit(await child.exited), lastLine);
    throw new ServiceUnhealthyError(name, `${service.url}/health`, this.options.healthTimeoutMs / 1000, lastLine);
  }

  /** SIGTERM to every running service, SIGKILL after `graceMs`; resolves when all have exited. */
  async stop(graceMs: number): Promise<void> {
    await Promise.all([...this.processes.values()].map((child) => child.stop(graceMs)));
  }

  /** Last resort (a second Ctrl-C, a test's afterAll): SIGKILL to whatever still runs, without waiting. */
  killAll(): void {
    for (const child of this.processes.values()) child.kill();
  }

  private service(name: ServiceName): PlannedService {
    const service = this.plan.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`unknown service ${name}`);
    return service;
  }
}
