import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { MonitorModule } from './monitor.module';
import { connectMonitorTransport } from './monitor.transport';

void bootstrapService({
  name: 'monitor',
  defaultPort: SERVICE_DEFAULT_PORTS['monitor'],
  module: MonitorModule,
  onBoot: ({ app }) => connectMonitorTransport(app),
});
