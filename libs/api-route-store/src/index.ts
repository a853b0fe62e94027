/**
 * @bascule/api-route-store — the api-agent's route table in Postgres, mapped with TypeORM: every
 * router it drives, its versions and the weights last applied (schema `bascule_api`).
 */
import { ensureServiceTables, prepareServiceTables, type ServiceTables } from '@bascule/service-tables';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { ApiRoute } from './api-route.entity';
import { ApiRoutes1765120000000 } from './migrations/1765120000000-api-routes';

export { ApiRoute } from './api-route.entity';

export const API_ROUTE_STORE: ServiceTables = { service: 'api-agent', schema: 'bascule_api', tables: ['routes'] };

/** TypeORM's options for the route table on the event store's database (`BASCULE_DATABASE_URL`). */
export function apiRouteDataSourceOptions(url: string, applicationName = 'bascule-api-agent'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: API_ROUTE_STORE.schema,
    entities: [ApiRoute],
    migrations: [ApiRoutes1765120000000],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'all',
    applicationName,
    extra: { max: 2, connectionTimeoutMillis: 2_000 },
  };
}

export function prepareApiRouteStore(dataSource: DataSource, grantTo?: string): Promise<void> {
  return prepareServiceTables(dataSource, API_ROUTE_STORE, grantTo);
}

export function ensureApiRouteStore(dataSource: DataSource): Promise<void> {
  return ensureServiceTables(dataSource, API_ROUTE_STORE);
}
