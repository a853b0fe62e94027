import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { SchemaAgentModule } from './schema-agent.module';

void bootstrapService({ name: 'schema-agent', defaultPort: SERVICE_DEFAULT_PORTS['schema-agent'], module: SchemaAgentModule });
