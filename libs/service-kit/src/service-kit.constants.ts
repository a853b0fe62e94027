/** Injection tokens a service's own modules can use. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** A `pg` Pool on `BASCULE_DATABASE_URL` (the event store's database). */
export const PG_POOL = Symbol('PG_POOL');
/** The service's `NatsConnection` to `NATS_URL`; reconnects forever. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
/** The prom-client `Registry` served on `/metrics`: register a service's own metrics here. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
/** Flushes and stops the OpenTelemetry SDK started by bootstrapService. */
export const TELEMETRY_SHUTDOWN = Symbol('TELEMETRY_SHUTDOWN');
