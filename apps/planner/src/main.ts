import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { configurePlannerHttp } from './planner-http';
import { PlannerModule } from './planner.module';
import { connectPlannerTransport } from './planner.transport';

void bootstrapService({
  name: 'planner',
  defaultPort: SERVICE_DEFAULT_PORTS['planner'],
  module: PlannerModule,
  // The request that plans a migration is the root of its one trace; reads are not traced.
  traceIncoming: (request) => request.method === 'POST' && request.url?.split('?')[0] === '/migrations',
  onBoot: async ({ app }) => {
    configurePlannerHttp(app);
    await connectPlannerTransport(app);
  },
});
