import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { PolledSource, type Sample } from './sample-buffer';

/**
 * A spec probe: its SQL run against the target every `everyMs`, each run one sample of its latency
 * in milliseconds (`failed` when it errored or exceeded the statement timeout). The pool it runs on
 * is read-only (see ProbePools): a probe can observe the target, never change it.
 */
export class ProbeSource extends PolledSource {
  constructor(
    name: string,
    private readonly pool: Pool,
    private readonly sql: string,
    everyMs: number,
    keepMs: number,
  ) {
    super(name, everyMs, keepMs);
  }

  protected async read(): Promise<Sample> {
    const began = performance.now();
    let failed = false;
    try {
      await this.pool.query(this.sql);
    } catch {
      failed = true;
    }
    return { at: Date.now(), value: performance.now() - began, failed };
  }
}
