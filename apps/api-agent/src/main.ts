import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { ApiAgentModule } from './api-agent.module';

void bootstrapService({ name: 'api-agent', defaultPort: SERVICE_DEFAULT_PORTS['api-agent'], module: ApiAgentModule });
