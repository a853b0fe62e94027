import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { MonitorModule } from './monitor.module';

void bootstrapService({ name: 'monitor', defaultPort: SERVICE_DEFAULT_PORTS['monitor'], module: MonitorModule });
