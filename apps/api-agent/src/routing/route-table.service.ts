import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiRoute, ensureApiRouteStore } from '@bascule/api-route-store';
import type { ApiStepBody } from '@bascule/contracts';
import type { DataSource } from 'typeorm';
import type { TrafficShares } from '../step/step-progress';
import { routerAddress, type StepOwner } from './step-router';

/**
 * The route table (TypeORM, schema `bascule_api`): every router this agent drives, its versions and
 * the weights last applied, by which step. Written after each change the router applied, and
 * rebuilt at boot as the routers are restored from the migration streams: what an operator reads
 * to know where each service's traffic goes.
 */
@Injectable()
export class RouteTable implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The table is current before the agent takes a command (or it stops, naming `bascule events init`). */
  async onModuleInit(): Promise<void> {
    await ensureApiRouteStore(this.dataSource);
  }

  async applied(owner: StepOwner, body: ApiStepBody, shares: TrafficShares): Promise<void> {
    const versions = Object.fromEntries([body.from, body.to].map(({ version, upstream }) => [version, upstream]));
    await this.dataSource.getRepository(ApiRoute).upsert(
      { address: routerAddress(body.router), service: body.service, kind: body.router.kind, versions, weights: { ...shares }, migrationId: owner.migrationId, stepId: owner.stepId, appliedAt: new Date() },
      ['address'],
    );
  }

  all(): Promise<ApiRoute[]> {
    return this.dataSource.getRepository(ApiRoute).find({ order: { address: 'ASC' } });
  }
}
