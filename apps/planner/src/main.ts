import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { PlannerModule } from './planner.module';

void bootstrapService({ name: 'planner', defaultPort: SERVICE_DEFAULT_PORTS['planner'], module: PlannerModule });
