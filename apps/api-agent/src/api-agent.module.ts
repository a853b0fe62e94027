import { Module } from '@nestjs/common';
import { PlanBinding } from '@bascule/plan-binding';
import { API_AGENT_CONFIG } from './api-agent.constants';
import { ApiAgentHandlers } from './api-agent.handlers';
import { CanaryRunner } from './canary/canary-runner.service';
import { apiAgentConfig } from './config/api-agent-config';
import { ApiTrafficMetrics } from './metrics/api-traffic-metrics';
import { ApiRollback } from './rollback/api-rollback.service';
import { RouterRegistry } from './routing/router-registry.service';
import { RouterRestoration } from './routing/router-restoration.service';
import { ApiStepRecorder } from './step/api-step-recorder.service';

/**
 * The api-agent's own providers and controllers. Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({
  controllers: [ApiAgentHandlers],
  providers: [
    { provide: API_AGENT_CONFIG, useFactory: () => apiAgentConfig() },
    PlanBinding,
    ApiStepRecorder,
    ApiTrafficMetrics,
    RouterRegistry,
    RouterRestoration,
    CanaryRunner,
    ApiRollback,
  ],
})
export class ApiAgentModule {}
