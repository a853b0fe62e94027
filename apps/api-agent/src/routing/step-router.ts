import type { RouterAdapter } from '@bascule/api-router';
import type { ApiStepBody } from '@bascule/contracts';
import type { ApiTrafficMetrics, MeteredRouter } from '../metrics/api-traffic-metrics';
import type { TrafficShares } from '../step/step-progress';
import type { ContractSampler } from './contract-sampler';
import type { StepTrafficGuard } from './step-traffic-guard';

/** The api step a router was opened for. */
export interface StepOwner {
  migrationId: string;
  stepId: string;
}

export const sameStep = (a: StepOwner, b: StepOwner): boolean => a.migrationId === b.migrationId && a.stepId === b.stepId;

/** Where a router spec routes: two steps naming the same address share (and take over) one router. */
export function routerAddress(router: ApiStepBody['router']): string {
  return router.kind === 'embedded' ? router.listen : `haproxy ${router.socket} backend ${router.backend}`;
}

/**
 * One api step's router in this process: the adapter, the contract sampler of an embedded router,
 * and the step's guard, through which every weight change goes.
 */
export class StepRouter implements MeteredRouter {
  constructor(
    readonly owner: StepOwner,
    readonly body: ApiStepBody,
    readonly adapter: RouterAdapter,
    readonly guard: StepTrafficGuard,
    /** Null for HAProxy: it does not hand responses to this process. */
    readonly contract: ContractSampler | null,
    /** Per-request latencies and statuses (`drainSamples`): embedded, or HAProxy with a log receiver. */
    readonly recordsSamples: boolean,
    private readonly metrics: ApiTrafficMetrics,
    /** Told every change the router applied (the route table). */
    private readonly onApplied: (router: StepRouter, shares: TrafficShares) => Promise<void>,
  ) {}

  get service(): string {
    return this.body.service;
  }

  get address(): string {
    return routerAddress(this.body.router);
  }

  /** A canary's shift; false when the step was rolled back meanwhile and nothing moved. */
  shiftForCanary(shares: TrafficShares): Promise<boolean> {
    return this.guard.canary(() => this.apply(shares));
  }

  shiftForRollback(shares: TrafficShares): Promise<void> {
    return this.guard.rollback(() => this.apply(shares));
  }

  private async apply(shares: TrafficShares): Promise<void> {
    await this.adapter.setWeights(shares);
    this.metrics.sharesApplied(this.service, shares);
    await this.onApplied(this, shares);
  }
}
