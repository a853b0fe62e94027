import { bootstrapService, SERVICE_DEFAULT_PORTS } from '@bascule/service-kit';
import { RollbackManagerModule } from './rollback-manager.module';
import { RollbackRunner } from './rollback-runner.service';
import { connectRollbackManagerTransport } from './rollback-manager.transport';

void bootstrapService({
  name: 'rollback-manager',
  defaultPort: SERVICE_DEFAULT_PORTS['rollback-manager'],
  module: RollbackManagerModule,
  onBoot: async ({ app }) => {
    await connectRollbackManagerTransport(app);
    // A rollback interrupted by a crash continues: same decisions, same command ids.
    await app.get(RollbackRunner).resumeUnfinished();
  },
});
