import { Module } from '@nestjs/common';
import { AuthGuard } from './auth/auth.guard';
import { Authenticator } from './auth/authenticator';
import { busClientProvider } from './bus-client.provider';
import { IdempotencyKeyStore } from './idempotency/idempotency-key.store';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { MigrationCommands } from './migrations/migration-commands.service';
import { MigrationStore } from './migrations/migration-store.service';
import { MigrationStreamController } from './migrations/migration-stream.controller';
import { MigrationsController } from './migrations/migrations.controller';
import { MigrationCommandMetrics } from './metrics/migration-command-metrics';
import { MigrationMetrics } from './metrics/migration-metrics';
import { MigrationPlanner } from './planning/migration-planner.service';
import { MigrationEventsHandler } from './process-manager/migration-events.handler';
import { ProcessManager } from './process-manager/process-manager.service';
import { RecoveryPoints } from './process-manager/recovery-points';
import { RehearsalService } from './rehearsal/rehearsal.service';
import { SchemaController } from './schema.controller';

/**
 * The planner's own providers and controllers. Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({
  controllers: [MigrationsController, MigrationStreamController, SchemaController, MigrationEventsHandler],
  providers: [{ provide: Authenticator, useFactory: () => Authenticator.fromEnv() }, AuthGuard, busClientProvider, ProcessManager, RecoveryPoints, MigrationStore, MigrationCommands, MigrationPlanner, IdempotencyKeyStore, IdempotencyInterceptor, RehearsalService, MigrationMetrics, MigrationCommandMetrics],
})
export class PlannerModule {}
