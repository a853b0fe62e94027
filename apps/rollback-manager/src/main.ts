import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { RollbackManagerModule } from './rollback-manager.module';

void bootstrapService({ name: 'rollback-manager', defaultPort: SERVICE_DEFAULT_PORTS['rollback-manager'], module: RollbackManagerModule });
