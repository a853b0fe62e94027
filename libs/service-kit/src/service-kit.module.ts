import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { ServiceConfig } from './config/service-config';
import { ConnectionsShutdown } from './connections/connections-shutdown';
import { natsConnectionProvider } from './connections/nats-connection.provider';
import { NatsLinkState } from './connections/nats-link-state';
import { OutboxRelayHost } from './connections/outbox-relay.host';
import { postgresPoolProvider } from './connections/postgres-pool.provider';
import { TelemetryFlush, type TelemetryShutdownFn } from './connections/telemetry-flush';
import { HealthController } from './health/health.controller';
import { NatsHealthIndicator } from './health/nats.health';
import { PostgresHealthIndicator } from './health/postgres.health';
import { MetricsController } from './metrics/metrics.controller';
import { createServiceRegistry } from './metrics/service-registry';
import { METRICS_REGISTRY, NATS_CONNECTION, PG_POOL, SERVICE_CONFIG, TELEMETRY_SHUTDOWN } from './service-kit.constants';

/** Health, metrics and the shared connections every service has; global so domain modules can inject them. */
@Module({})
export class ServiceKitModule {
  static forService(config: ServiceConfig, telemetryShutdown: TelemetryShutdownFn = async () => undefined): DynamicModule {
    return {
      module: ServiceKitModule,
      global: true,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: METRICS_REGISTRY, useFactory: () => createServiceRegistry(config.name) },
        postgresPoolProvider,
        natsConnectionProvider,
        NatsLinkState,
        PostgresHealthIndicator,
        NatsHealthIndicator,
        ConnectionsShutdown,
        OutboxRelayHost,
        { provide: TELEMETRY_SHUTDOWN, useValue: telemetryShutdown },
        TelemetryFlush,
      ],
      exports: [SERVICE_CONFIG, METRICS_REGISTRY, PG_POOL, NATS_CONNECTION],
    };
  }
}
