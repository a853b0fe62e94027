import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { TargetPoolRegistry } from '@bascule/service-kit';

export { TargetNotConfiguredError } from '@bascule/service-kit';

/** The data-verifier's pools, one per target database (see TargetPoolRegistry). */
@Injectable()
export class TargetPools extends TargetPoolRegistry implements OnModuleDestroy {
  constructor() {
    super({ max: 4, application_name: 'bascule-data-verifier' });
  }

  onModuleDestroy(): Promise<void> {
    return this.endAll();
  }
}
