import { Module } from '@nestjs/common';
import { RollbackEventsHandler } from './rollback-events.handler';
import { RollbackMetrics } from './rollback-metrics';
import { RollbackRunner } from './rollback-runner.service';
import { RollbackHandler } from './rollback.handler';

/**
 * The rollback-manager's own providers and controllers. Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({ controllers: [RollbackHandler, RollbackEventsHandler], providers: [RollbackRunner, RollbackMetrics] })
export class RollbackManagerModule {}
