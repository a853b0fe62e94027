import { Module } from '@nestjs/common';
import { PlanBinding } from '@bascule/plan-binding';
import { MonitorHandlers } from './monitor.handlers';
import { MonitorRunner } from './monitor-runner.service';
import { ProbePools } from './target-pools';

/**
 * The monitor's own providers and controllers. Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({ controllers: [MonitorHandlers], providers: [MonitorRunner, ProbePools, PlanBinding] })
export class MonitorModule {}
