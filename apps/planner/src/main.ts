import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { configurePlannerHttp } from './planner-http';
import { PlannerModule } from './planner.module';
import { connectPlannerTransport } from './planner.transport';

void bootstrapService({
  name: 'planner',
  defaultPort: SERVICE_DEFAULT_PORTS['planner'],
  module: PlannerModule,
  onBoot: async ({ app }) => {
    configurePlannerHttp(app);
    await connectPlannerTransport(app);
  },
});
