import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { TargetPoolRegistry } from '@bascule/service-kit';

/** Each probe is one statement; one that hangs is a failed sample, not a stuck monitor. */
const PROBE_STATEMENT_TIMEOUT_MS = 5_000;

/**
 * The monitor's pools, one per target (see TargetPoolRegistry), every session read-only
 * (`default_transaction_read_only`) so that a probe's SQL can observe the target and never change
 * it, whatever the spec's validation let through.
 */
@Injectable()
export class ProbePools extends TargetPoolRegistry implements OnModuleDestroy {
  constructor() {
    super({
      max: 4,
      application_name: 'bascule-monitor',
      options: `-c default_transaction_read_only=on -c statement_timeout=${PROBE_STATEMENT_TIMEOUT_MS}`,
    });
  }

  onModuleDestroy(): Promise<void> {
    return this.endAll();
  }
}
