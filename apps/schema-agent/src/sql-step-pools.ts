import { Logger } from '@nestjs/common';
import { DatabaseError, Pool, type PoolClient } from 'pg';
import { ensureSqlStepLedger } from './sql-step-ledger';

/** Postgres: the ledger table (42P01) or its schema (3F000) is gone, e.g. dropped by hand since it was ensured. */
const LEDGER_MISSING = new Set(['42P01', '3F000']);

/**
 * One small pool per target URL for sql steps. Opening a connection costs a backend fork and
 * authentication (about 10 ms here), and ensuring the ledger four more round trips: paid once per
 * target per process instead of once per command, since a chain of sql steps pays them per step.
 */
export class SqlStepPools {
  private readonly logger = new Logger(SqlStepPools.name);
  private readonly pools = new Map<string, Pool>();
  private readonly ledgers = new Map<string, Promise<void>>();

  /**
   * Runs `work` on a connection of the target's pool, with the ledger ensured. Session state a
   * step's SQL may leave behind (a plain `SET`, a temp table) is discarded before the connection
   * goes back, so each step still starts from a fresh session's settings.
   */
  async withClient<T>(url: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.poolFor(url).connect();
      let broken: Error | undefined;
      try {
        await this.ensureLedger(url, client);
        return await work(client);
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
        // Only a raw DatabaseError can be the ledger's: the step's own SQL errors arrive wrapped.
        if (attempt === 1 && error instanceof DatabaseError && LEDGER_MISSING.has(error.code ?? '')) {
          this.ledgers.delete(url);
          continue;
        }
        throw error;
      } finally {
        // After a failure the session may be mid-transaction or gone: never hand it to the next step.
        if (broken) client.release(broken);
        else await this.reset(client);
      }
    }
  }

  async end(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.ledgers.clear();
    await Promise.allSettled(pools.map((pool) => pool.end()));
  }

  private poolFor(url: string): Pool {
    let pool = this.pools.get(url);
    if (!pool) {
      pool = new Pool({ connectionString: url, max: 4, idleTimeoutMillis: 60_000, application_name: 'bascule-schema-agent' });
      // An idle connection whose server went away: the next checkout opens a new one.
      pool.on('error', (error) => this.logger.warn(`idle target connection lost: ${error.message}`));
      this.pools.set(url, pool);
    }
    return pool;
  }

  private ensureLedger(url: string, client: PoolClient): Promise<void> {
    let ensured = this.ledgers.get(url);
    if (!ensured) {
      ensured = ensureSqlStepLedger(client);
      this.ledgers.set(url, ensured);
      ensured.catch(() => this.ledgers.delete(url));
    }
    return ensured;
  }

  private async reset(client: PoolClient): Promise<void> {
    try {
      await client.query('DISCARD ALL');
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  }
}
