import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { TargetPoolRegistry } from '@bascule/service-kit';
import { escapeIdentifier, type Pool } from 'pg';

/** Each probe is one statement; one that hangs is a failed sample, not a stuck monitor. */
const PROBE_STATEMENT_TIMEOUT_MS = 5_000;

const PROBE_POOL = {
  max: 4,
  application_name: 'bascule-monitor',
  options: `-c default_transaction_read_only=on -c statement_timeout=${PROBE_STATEMENT_TIMEOUT_MS}`,
};

/**
 * The monitor's pools, one per target (see TargetPoolRegistry), every session read-only
 * (`default_transaction_read_only`) so that a probe's SQL can observe the target and never change
 * it, whatever the spec's validation let through; and while a migration is expanded, one per
 * version it serves, whose sessions resolve names through that version's schemas first.
 */
@Injectable()
export class ProbePools extends TargetPoolRegistry implements OnModuleDestroy {
  private readonly versions = new Map<string, TargetPoolRegistry>();

  constructor() {
    super(PROBE_POOL);
  }

  /**
   * A read-only pool on `target` whose sessions see `searchPath` (e.g. a version schema, then the
   * physical schema): the probe's SQL then reads what that version of the application reads.
   */
  onSearchPath(target: string, searchPath: readonly string[]): Pool {
    const path = [...new Set(searchPath)];
    const key = path.join('\u0000');
    let registry = this.versions.get(key);
    if (!registry) {
      // A startup option, so every session has it before its first query. The server splits
      // `options` on spaces unless escaped with a backslash (pg_split_opts).
      const value = path.map((schema) => escapeIdentifier(schema)).join(',').replace(/[\\ ]/g, (character) => `\\${character}`);
      registry = new TargetPoolRegistry({ ...PROBE_POOL, max: 2, options: `${PROBE_POOL.options} -c search_path=${value}` });
      this.versions.set(key, registry);
    }
    return registry.get(target);
  }

  async onModuleDestroy(): Promise<void> {
    const versions = [...this.versions.values()];
    this.versions.clear();
    await Promise.all([this.endAll(), ...versions.map((registry) => registry.endAll())]);
  }
}
