import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { ApiAgentModule } from './api-agent.module';
import { connectApiAgentTransport } from './api-agent.transport';

void bootstrapService({
  name: 'api-agent',
  defaultPort: SERVICE_DEFAULT_PORTS['api-agent'],
  module: ApiAgentModule,
  onBoot: ({ app }) => connectApiAgentTransport(app),
});
