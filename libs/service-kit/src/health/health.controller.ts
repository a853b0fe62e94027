import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { NatsHealthIndicator } from './nats.health';
import { PostgresHealthIndicator } from './postgres.health';

/** `GET /health`: 200 when Postgres and NATS both answer, 503 (from terminus) otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: PostgresHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.postgres.isHealthy(), () => this.nats.isHealthy()]);
  }
}
