import { Module } from '@nestjs/common';

/**
 * The planner's own providers and controllers. Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({})
export class PlannerModule {}
