import { targetUrlEnvName } from '@bascule/contracts';
import { Pool, type PoolConfig } from 'pg';

/** The target named in a command has no `BASCULE_TARGET_<NAME>_URL` here. */
export class TargetNotConfiguredError extends Error {
  readonly code = 'TARGET_NOT_CONFIGURED';
  constructor(
    readonly target: string,
    readonly envName: string,
  ) {
    super(`target "${target}" is not configured: set ${envName} to its Postgres connection URL`);
    this.name = 'TargetNotConfiguredError';
  }
}

/**
 * One small pool per target database, opened on first use with `options` (size, application name,
 * session settings); connection URLs come from the environment only, never from a message.
 */
export class TargetPoolRegistry {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: Omit<PoolConfig, 'connectionString'>) {}

  get(target: string, env: NodeJS.ProcessEnv = process.env): Pool {
    const existing = this.pools.get(target);
    if (existing) return existing;
    const envName = targetUrlEnvName(target);
    const url = env[envName];
    if (!url) throw new TargetNotConfiguredError(target, envName);
    const pool = new Pool({ ...this.options, connectionString: url });
    // An idle connection the server closed is discarded; unhandled, its 'error' would crash the process.
    pool.on('error', () => undefined);
    this.pools.set(target, pool);
    return pool;
  }

  async endAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.end()));
  }
}
