import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MONITOR_ENTITIES, monitorDataSourceOptions } from '@bascule/monitor-store';
import { PlanBinding } from '@bascule/plan-binding';
import { SERVICE_CONFIG, type ServiceConfig } from '@bascule/service-kit';
import { AnalysisMetrics } from './analysis/analysis-metrics';
import { MonitorHandlers } from './monitor.handlers';
import { MonitorRunner } from './monitor-runner.service';
import { MonitorState } from './state/monitor-state.service';
import { ProbePools } from './target-pools';

/**
 * The monitor's own providers and controllers, and its TypeORM connection to its tables (schema
 * `bascule_monitor` on the event store's database). Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [SERVICE_CONFIG],
      // The dependency check has already reached Postgres: a second failure is not worth 9 retries.
      useFactory: (config: ServiceConfig) => ({ ...monitorDataSourceOptions(config.databaseUrl, `bascule-${config.name}`), retryAttempts: 2, retryDelay: 1_000 }),
    }),
    TypeOrmModule.forFeature(MONITOR_ENTITIES),
  ],
  controllers: [MonitorHandlers],
  providers: [MonitorRunner, MonitorState, AnalysisMetrics, ProbePools, PlanBinding],
})
export class MonitorModule {}
