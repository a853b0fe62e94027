import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@bascule/service-kit';
import { Counter, type Registry } from 'prom-client';

/** What the planner's REST routes accepted: start, pause, resume, complete, approve, rollback. */
export type AcceptedCommand = 'start' | 'pause' | 'resume' | 'complete' | 'approve' | 'rollback';

/** Commands on migrations the planner accepted (stored, or for a rollback sent), by action. */
@Injectable()
export class MigrationCommandMetrics {
  private readonly accepted: Counter<'action'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.accepted = new Counter({
      name: 'bascule_migration_commands_total',
      help: 'Commands on migrations the planner accepted, by action (start, pause, resume, complete, approve, rollback).',
      labelNames: ['action'],
      registers: [registry],
    });
  }

  commandAccepted(action: AcceptedCommand): void {
    this.accepted.inc({ action });
  }
}
