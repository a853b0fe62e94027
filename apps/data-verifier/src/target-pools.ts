import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { targetUrlEnvName } from '@bascule/contracts';
import { Pool } from 'pg';

/** The target named in a command has no `BASCULE_TARGET_<NAME>_URL` here: no verdict is possible. */
export class TargetNotConfiguredError extends Error {
  readonly code = 'TARGET_NOT_CONFIGURED';
  constructor(readonly target: string, readonly envName: string) {
    super(`target "${target}" is not configured: set ${envName} to its Postgres connection URL`);
    this.name = 'TargetNotConfiguredError';
  }
}

/** One small pool per target database, opened on first use; connection URLs come from the environment only. */
@Injectable()
export class TargetPools implements OnModuleDestroy {
  private readonly pools = new Map<string, Pool>();

  get(target: string, env: NodeJS.ProcessEnv = process.env): Pool {
    const existing = this.pools.get(target);
    if (existing) return existing;
    const envName = targetUrlEnvName(target);
    const url = env[envName];
    if (!url) throw new TargetNotConfiguredError(target, envName);
    const pool = new Pool({ connectionString: url, max: 4, application_name: 'bascule-data-verifier' });
    // An idle connection the server closed is discarded; unhandled, its 'error' would crash the process.
    pool.on('error', () => undefined);
    this.pools.set(target, pool);
    return pool;
  }

  async onModuleDestroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.end()));
  }
}
