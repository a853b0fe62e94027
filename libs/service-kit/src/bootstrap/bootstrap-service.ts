import 'reflect-metadata';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describeExposure, ensureEventStoreSchema, logExposure } from '@bascule/event-store';
import { startTelemetry, type TelemetryOptions } from '@bascule/telemetry/sdk';
import type { Pool } from 'pg';
import { PG_POOL } from '../service-kit.constants';
import { serviceConfig, type ServiceConfig } from '../config/service-config';
import { assertServiceName, type ServiceName } from '../config/service-ports';
import { JsonLogger } from '../logging/json-logger';
import { ServiceKitModule } from '../service-kit.module';
import { assertDependenciesReachable } from '../startup/dependency-check';
import { bootFailureLine } from './boot-failure';

export interface BootContext {
  app: INestApplication;
  config: ServiceConfig;
  logger: JsonLogger;
}

export interface BootstrapServiceOptions {
  name: ServiceName;
  defaultPort: number;
  /** The service's own root module; health, metrics and connections are added around it. */
  module: Type<unknown>;
  /**
   * Runs after the Nest app is created and before it listens: the place to prepare the event
   * store's schema or connect a JetStream transport (`app.connectMicroservice(...)` then
   * `await app.startAllMicroservices()`). A throw here aborts the boot with one stderr line.
   */
  onBoot?: (boot: BootContext) => Promise<void> | void;
  env?: NodeJS.ProcessEnv;
  /** Incoming requests that are spans (a trace's root): the planner's POST /migrations. Default none. */
  traceIncoming?: TelemetryOptions['traceIncoming'];
}

@Module({})
class ServiceRootModule {}

/**
 * Boots one Bascule service: checks Postgres and NATS (creating the event-store database if
 * missing) BEFORE Nest starts so an outage is one clear line and exit 1, then serves `/health`
 * and `/metrics` on `PORT`, logs JSON lines, and on SIGTERM/SIGINT stops accepting, closes its
 * connections and exits 0.
 */
export async function bootstrapService(options: BootstrapServiceOptions): Promise<INestApplication | undefined> {
  const env = options.env ?? process.env;
  let config: ServiceConfig | undefined;
  try {
    config = serviceConfig(assertServiceName(options.name), options.defaultPort, env);
    await assertDependenciesReachable(config);
    // Before Nest: spans (and so the traceId in log lines) exist from the first request on.
    const stopTelemetry = startTelemetry(config.name, { traceIncoming: options.traceIncoming });
    const logger = new JsonLogger(config.name);
    const app = await NestFactory.create(
      { module: ServiceRootModule, imports: [ServiceKitModule.forService(config, stopTelemetry), options.module] },
      // forceCloseConnections: a keep-alive client (a health poller) must not hold the shutdown open.
      { logger, forceCloseConnections: true, abortOnError: false },
    );
    // useProcessExit: exit 0 after a clean shutdown instead of re-raising the signal.
    app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    // Nest removes its listeners just before process.exit(0); a second signal landing in that
    // window (Ctrl-C reaches the whole process group, then `bascule up` sends SIGTERM) would find
    // the default action and kill the process mid-exit. A lasting no-op listener closes the window.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => undefined);
    // Every service may append events: the store's schema exists before any handler runs (the
    // bootstrap is idempotent and serialized by an advisory lock, so six services may race).
    const pool = app.get<Pool>(PG_POOL);
    await ensureEventStoreSchema(pool);
    const exposure = describeExposure(await logExposure(pool));
    if (exposure) logger.warn(`event store: ${exposure}; see docs/security.md, "Least privilege"`, 'Bootstrap');
    await options.onBoot?.({ app, config, logger });
    await app.listen(config.port, config.host);
    logger.log(`${config.name} listening on ${config.host}:${config.port}`, 'Bootstrap');
    return app;
  } catch (error) {
    process.stderr.write(`${bootFailureLine(options.name, error, config)}\n`);
    process.exit(1);
  }
}
