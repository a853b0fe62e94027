/**
 * @bascule/monitor-store — the monitor's own state in Postgres, mapped with TypeORM: the runs it
 * watches, their baselines, and every judged window. The event store keeps the decisions; these
 * tables keep the time series and the counters a restarted monitor resumes from.
 */
export { AnalysisWindowRow } from './entities/analysis-window.entity';
export { MetricBaselineRow } from './entities/metric-baseline.entity';
export { MonitorRun, type MonitorRunStatus } from './entities/monitor-run.entity';
export { MONITOR_ENTITIES, MONITOR_MIGRATIONS, MONITOR_SCHEMA, MONITOR_TABLES, monitorDataSourceOptions } from './monitor-data-source';
export { ensureMonitorStore, isMonitorStoreOutdatedError, MONITOR_STORE, MonitorStoreOutdatedError, prepareMonitorStore } from './prepare-monitor-store';
