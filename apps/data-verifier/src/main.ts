import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { DataVerifierModule } from './data-verifier.module';
import { connectDataVerifierTransport } from './data-verifier.transport';

void bootstrapService({
  name: 'data-verifier',
  defaultPort: SERVICE_DEFAULT_PORTS['data-verifier'],
  module: DataVerifierModule,
  onBoot: ({ app }) => connectDataVerifierTransport(app),
});
