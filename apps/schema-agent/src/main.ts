import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { SchemaAgentModule } from './schema-agent.module';
import { connectSchemaAgentTransport } from './schema-agent.transport';

void bootstrapService({
  name: 'schema-agent',
  defaultPort: SERVICE_DEFAULT_PORTS['schema-agent'],
  module: SchemaAgentModule,
  onBoot: ({ app }) => connectSchemaAgentTransport(app),
});
