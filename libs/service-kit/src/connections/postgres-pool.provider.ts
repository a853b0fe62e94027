import { Logger, type Provider } from '@nestjs/common';
import { Pool } from 'pg';
import type { ServiceConfig } from '../config/service-config';
import { PG_POOL, SERVICE_CONFIG } from '../service-kit.constants';

export const postgresPoolProvider: Provider = {
  provide: PG_POOL,
  inject: [SERVICE_CONFIG],
  useFactory: (config: ServiceConfig): Pool => {
    const pool = new Pool({
      connectionString: config.databaseUrl,
      max: 5,
      connectionTimeoutMillis: 2000,
      query_timeout: 5000,
      application_name: `bascule-${config.name}`,
    });
    // An idle client whose server went away emits 'error' on the pool; unhandled, that would kill
    // the process. The health check reports the outage instead.
    pool.on('error', (error) => new Logger('Postgres').warn(`idle connection lost: ${error.message}`));
    return pool;
  },
};
