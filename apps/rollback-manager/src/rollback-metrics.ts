import { Inject, Injectable } from '@nestjs/common';
import type { RollbackTrigger } from '@bascule/contracts';
import { METRICS_REGISTRY } from '@bascule/service-kit';
import { Histogram, type Registry } from 'prom-client';

/** From an on-call command answered in a second to a rollback waiting on a long transaction. */
const ROLLBACK_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * How long rollbacks take, by trigger (on-call, api, automatic): from the request reaching the
 * rollback-manager (RollbackStarted's `receivedAt`) to MigrationRolledBack. Observed by the copy
 * whose append of MigrationRolledBack succeeded, so once per rollback.
 */
@Injectable()
export class RollbackMetrics {
  private readonly seconds: Histogram<'trigger'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.seconds = new Histogram({
      name: 'bascule_rollback_seconds',
      help: 'Seconds from a rollback request reaching the rollback-manager to MigrationRolledBack (every compensation ran), by trigger.',
      labelNames: ['trigger'],
      buckets: ROLLBACK_BUCKETS,
      registers: [registry],
    });
  }

  rolledBack(trigger: RollbackTrigger, durationMs: number): void {
    this.seconds.observe({ trigger }, durationMs / 1000);
  }
}
