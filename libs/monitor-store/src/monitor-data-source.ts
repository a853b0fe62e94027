import type { DataSourceOptions } from 'typeorm';
import { AnalysisWindowRow } from './entities/analysis-window.entity';
import { MetricBaselineRow } from './entities/metric-baseline.entity';
import { MonitorRun } from './entities/monitor-run.entity';
import { MonitorState1765110000000 } from './migrations/1765110000000-monitor-state';

/** The monitor's tables live beside the event store, in a schema of their own. */
export const MONITOR_SCHEMA = 'bascule_monitor';
export const MONITOR_ENTITIES = [MonitorRun, MetricBaselineRow, AnalysisWindowRow];
export const MONITOR_MIGRATIONS = [MonitorState1765110000000];
export const MONITOR_TABLES = ['runs', 'baselines', 'windows'] as const;

/** TypeORM's options for the monitor's state on the event store's database (`BASCULE_DATABASE_URL`). */
export function monitorDataSourceOptions(url: string, applicationName = 'bascule-monitor'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: MONITOR_SCHEMA,
    entities: MONITOR_ENTITIES,
    migrations: MONITOR_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    // Every pending migration in one transaction: a failed one leaves the schema as it was.
    migrationsTransactionMode: 'all',
    applicationName,
    extra: { max: 3, connectionTimeoutMillis: 2_000 },
  };
}
