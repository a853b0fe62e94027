import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiRoute, apiRouteDataSourceOptions } from '@bascule/api-route-store';
import { PlanBinding } from '@bascule/plan-binding';
import { SERVICE_CONFIG, type ServiceConfig } from '@bascule/service-kit';
import { API_AGENT_CONFIG } from './api-agent.constants';
import { ApiAgentHandlers } from './api-agent.handlers';
import { CanaryRunner } from './canary/canary-runner.service';
import { apiAgentConfig } from './config/api-agent-config';
import { ApiTrafficMetrics } from './metrics/api-traffic-metrics';
import { ApiRollback } from './rollback/api-rollback.service';
import { RouteTable } from './routing/route-table.service';
import { RouterRegistry } from './routing/router-registry.service';
import { RouterRestoration } from './routing/router-restoration.service';
import { ApiStepRecorder } from './step/api-step-recorder.service';

/**
 * The api-agent's own providers and controllers, and its TypeORM connection to its route table
 * (schema `bascule_api` on the event store's database). Health, metrics, logging and the
 * Postgres/NATS connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [SERVICE_CONFIG],
      // The dependency check has already reached Postgres: a second failure is not worth 9 retries.
      useFactory: (config: ServiceConfig) => ({ ...apiRouteDataSourceOptions(config.databaseUrl, `bascule-${config.name}`), retryAttempts: 2, retryDelay: 1_000 }),
    }),
    TypeOrmModule.forFeature([ApiRoute]),
  ],
  controllers: [ApiAgentHandlers],
  providers: [
    { provide: API_AGENT_CONFIG, useFactory: () => apiAgentConfig() },
    PlanBinding,
    ApiStepRecorder,
    ApiTrafficMetrics,
    RouteTable,
    RouterRegistry,
    RouterRestoration,
    CanaryRunner,
    ApiRollback,
  ],
})
export class ApiAgentModule {}
