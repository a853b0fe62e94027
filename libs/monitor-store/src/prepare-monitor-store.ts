import { ensureServiceTables, isServiceTablesOutdatedError, prepareServiceTables, ServiceTablesOutdatedError, type ServiceTables } from '@bascule/service-tables';
import type { DataSource } from 'typeorm';
import { MONITOR_SCHEMA, MONITOR_TABLES } from './monitor-data-source';

export const MONITOR_STORE: ServiceTables = { service: 'monitor', schema: MONITOR_SCHEMA, tables: MONITOR_TABLES };

/** The monitor's tables are behind its code and its role may not bring them up to date. */
export const MonitorStoreOutdatedError = ServiceTablesOutdatedError;
export const isMonitorStoreOutdatedError = isServiceTablesOutdatedError;

/** The monitor's schema brought to the code's; with `grantTo`, that role may use its three tables and nothing else. */
export function prepareMonitorStore(dataSource: DataSource, grantTo?: string): Promise<void> {
  return prepareServiceTables(dataSource, MONITOR_STORE, grantTo);
}

/** At the monitor's boot: current, brought up to date, or MonitorStoreOutdatedError naming the role and the command. */
export function ensureMonitorStore(dataSource: DataSource): Promise<void> {
  return ensureServiceTables(dataSource, MONITOR_STORE);
}
