import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createRouterAdapter, isApiRouterError, type RouterAdapter, type RouterAdapterOptions } from '@bascule/api-router';
import type { ApiStepBody } from '@bascule/contracts';
import { API_AGENT_CONFIG } from '../api-agent.constants';
import type { ApiAgentConfig } from '../config/api-agent-config';
import { RouterNotStartedError } from '../errors';
import { ApiTrafficMetrics } from '../metrics/api-traffic-metrics';
import type { TrafficShares } from '../step/step-progress';
import { ContractSampler } from './contract-sampler';
import { RouteTable } from './route-table.service';
import { routerAddress, sameStep, StepRouter, type StepOwner } from './step-router';
import { StepTrafficGuard } from './step-traffic-guard';

/** Errors of a socket that could not be bound or opened: the address, not the spec, is the problem. */
const ADDRESS_ERRORS = new Set(['EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES', 'EPERM', 'ENOTFOUND', 'ENOENT']);

/**
 * The routers this process runs, one per address. An embedded router is the service's production
 * router: it stays open after its canary (serving the promoted or rolled-back shares) until the
 * process stops or a later step routing the same address takes it over. HAProxy adapters are only
 * a connection to HAProxy, which routes on its own: they are closed once a command is done with
 * them (`release`). Opening and closing at one address run one at a time.
 */
@Injectable()
export class RouterRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(RouterRegistry.name);
  private readonly routers = new Map<string, StepRouter>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly guards = new Map<string, StepTrafficGuard>();

  constructor(
    @Inject(API_AGENT_CONFIG) private readonly config: ApiAgentConfig,
    private readonly metrics: ApiTrafficMetrics,
    private readonly routes: RouteTable,
  ) {}

  /** The step's guard, the same for every router the step gets in this process. */
  guardOf(owner: StepOwner): StepTrafficGuard {
    const key = `${owner.migrationId}\u0000${owner.stepId}`;
    const guard = this.guards.get(key) ?? new StepTrafficGuard();
    this.guards.set(key, guard);
    return guard;
  }

  /** The step's router at its address, which is started (embedded) or connected (HAProxy) if needed; `initialShares` for a started embedded router. */
  open(owner: StepOwner, body: ApiStepBody, initialShares: TrafficShares): Promise<StepRouter> {
    const address = routerAddress(body.router);
    return this.exclusive(address, async () => {
      const current = this.routers.get(address);
      if (current && sameStep(current.owner, owner)) return current;
      if (current) {
        this.logger.log(`${address}: step ${owner.migrationId}/${owner.stepId} takes over the router of ${current.owner.migrationId}/${current.owner.stepId}`);
        await this.close(current);
      }
      const router = await this.start(owner, body, initialShares);
      this.routers.set(address, router);
      this.metrics.track(router);
      // A started embedded router serves its initial shares; an HAProxy connection changes nothing yet.
      if (router.adapter.kind === 'embedded') await this.noteApplied(router, initialShares);
      return router;
    });
  }

  /** Lets go of a router that need not stay open (an HAProxy connection); an embedded router keeps serving. */
  async release(router: StepRouter): Promise<void> {
    if (router.adapter.kind === 'embedded') return;
    await this.exclusive(router.address, async () => {
      if (this.routers.get(router.address) === router) await this.close(router);
    });
  }

  /** The embedded routers open now, by address (what a client can reach). */
  embeddedAddresses(): string[] {
    return [...this.routers.values()].filter((router) => router.adapter.kind === 'embedded').map((router) => router.address);
  }

  async onApplicationShutdown(): Promise<void> {
    // Nest runs this after the bus transport closed: no handler is using a router any more.
    await Promise.all([...this.routers.values()].map((router) => this.close(router).catch(() => undefined)));
  }

  private async start(owner: StepOwner, body: ApiStepBody, initialShares: TrafficShares): Promise<StepRouter> {
    const versions = [body.from, body.to].map(({ version, upstream }) => ({ version, upstream }));
    const contract = body.router.kind === 'embedded' ? new ContractSampler(body.to.version, () => this.metrics.contractViolation(body.service, body.to.version)) : null;
    const { logListen, serverStateFile, configFile } = this.config.haproxy;
    const options: RouterAdapterOptions = {
      embedded: { initialShares, ...(contract ? { sampling: { onSample: contract.onSample } } : {}) },
      haproxy: {
        ...(logListen ? { logReceiver: { listen: logListen } } : {}),
        ...(serverStateFile ? { serverStateFile } : {}),
        ...(configFile ? { configFile } : {}),
      },
    };
    let adapter: RouterAdapter;
    try {
      adapter = await createRouterAdapter(body.router, versions, options);
    } catch (error) {
      throw startFailure(error, body, logListen);
    }
    const recordsSamples = adapter.kind === 'embedded' || logListen !== null;
    return new StepRouter(owner, body, adapter, this.guardOf(owner), contract, recordsSamples, this.metrics, (router, shares) => this.noteApplied(router, shares));
  }

  /**
   * The route table is a read model, rebuilt from the streams at every boot: a failed write there
   * is logged, never reported as a failed shift (the router did apply it, and a rollback that moved
   * the traffic must not read as failed).
   */
  private async noteApplied(router: StepRouter, shares: TrafficShares): Promise<void> {
    await this.routes.applied(router.owner, router.body, shares).catch((error: unknown) => {
      this.logger.warn(`route table not updated for ${router.address} (${JSON.stringify(shares)} applied): ${(error as Error).message}`);
    });
  }

  private async close(router: StepRouter): Promise<void> {
    this.routers.delete(router.address);
    await this.metrics.untrack(router);
    await router.adapter.close();
  }

  private exclusive<T>(address: string, work: () => Promise<T>): Promise<T> {
    const run = (this.locks.get(address) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => undefined);
    this.locks.set(address, settled);
    void settled.then(() => {
      if (this.locks.get(address) === settled) this.locks.delete(address);
    });
    return run;
  }
}

/** The library's typed errors as they are; a socket that could not be bound as RouterNotStartedError; anything else is thrown on (retried). */
function startFailure(error: unknown, body: ApiStepBody, logListen: string | null): unknown {
  if (isApiRouterError(error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined || !ADDRESS_ERRORS.has(code)) return error;
  const reason = `${code}: ${(error as Error).message}`;
  if (body.router.kind === 'embedded') return new RouterNotStartedError(body.router.listen, 'the embedded router', reason, { cause: error });
  return new RouterNotStartedError(logListen ?? body.router.socket, 'the HAProxy adapter (its log receiver or server-state file)', reason, { cause: error });
}
