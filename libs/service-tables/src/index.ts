/**
 * @bascule/service-tables — a service's own relational state (the monitor's runs, the api-agent's
 * routes) in a schema of its own beside the event store, mapped with TypeORM: migrations applied by
 * `bascule events init` (or by an owner role at boot), the services' role granted exactly its tables.
 */
export { ensureServiceTables, isServiceTablesOutdatedError, prepareServiceTables, ServiceTablesOutdatedError, type ServiceTables } from './prepare-service-tables';
