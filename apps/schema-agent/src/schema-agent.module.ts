import { Module } from '@nestjs/common';
import { PlanBinding } from '@bascule/plan-binding';
import { BackfillMetrics } from './backfill-metrics';
import { SchemaStepHandler } from './schema-step.handler';
import { SqlStepHandler } from './sql-step.handler';

/**
 * The schema-agent's own providers and controllers. Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({ controllers: [SchemaStepHandler, SqlStepHandler], providers: [PlanBinding, BackfillMetrics] })
export class SchemaAgentModule {}
