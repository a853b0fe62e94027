import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { basculeDashboard } from './bascule-dashboard';
import { bars, numberPanels, quantiles, stat, timeseries } from './panels';

/**
 * Every migration at once: how many are in each status, what operators and the system commanded,
 * how long steps, phases and rollbacks take, and what the analysis judged. Histograms carry no
 * migration id (bounded cardinality), so this is the fleet's view; one migration's is the timeline.
 */
export function migrationsOverview(): Dashboard {
  const builder = basculeDashboard(
    'Migrations overview',
    'bascule-migrations-overview',
    'Migrations by status, commands, step and phase durations, rollbacks and analysis results across all migrations.',
    'now-6h',
  )

    .withRow(new RowBuilder('Migrations'))
    .withPanel(
      // Every planner replica reports the same count from the event store: max, not sum.
      stat('Migrations by status', 'short', [{ expr: 'max by (status) (bascule_migrations)', legend: '{{status}}' }], 'Migrations in each status now, as the planner folds them from the event store.')
        .span(8)
        .height(7),
    )
    .withPanel(timeseries('Migrations by status over time', 'short', [{ expr: 'max by (status) (bascule_migrations)', legend: '{{status}}' }]).span(8).height(7))
    .withPanel(
      bars(timeseries('Commands by action', 'short', [{ expr: 'sum by (action) (increase(bascule_migration_commands_total[$__rate_interval]))', legend: '{{action}}' }], 'Start, pause, resume, complete and rollback commands accepted, per interval.'))
        .span(8)
        .height(7),
    )

    .withRow(new RowBuilder('Steps and phases'))
    .withPanel(timeseries('Step duration p50 / p95 by kind', 's', quantiles('bascule_step_duration_seconds', ['kind'])).span(12).height(8))
    .withPanel(
      bars(timeseries('Steps finished by kind and outcome', 'short', [{ expr: 'sum by (kind, outcome) (increase(bascule_step_duration_seconds_count[$__rate_interval]))', legend: '{{kind}} {{outcome}}' }]))
        .span(12)
        .height(8),
    )
    .withPanel(timeseries('Phase duration p50 / p95 by outcome', 's', quantiles('bascule_phase_duration_seconds', ['outcome'])).span(12).height(8))
    .withPanel(timeseries('Backfill rows/s', 'rowsps', [{ expr: 'sum(rate(bascule_backfill_rows_total[$__rate_interval]))', legend: 'rows/s' }]).span(12).height(8))

    .withRow(new RowBuilder('Rollbacks'))
    .withPanel(
      stat('Rollbacks in range by trigger', 'short', [{ expr: 'sum by (trigger) (increase(bascule_rollback_seconds_count[$__range]))', legend: '{{trigger}}' }], 'Rollbacks that finished within the dashboard\'s time range.')
        .span(8)
        .height(8),
    )
    .withPanel(
      timeseries('Rollback duration p50 / p95 by trigger', 's', quantiles('bascule_rollback_seconds', ['trigger']), 'From the rollback command (or the failed step or analysis that triggered it) to the migration rolled back.')
        .span(16)
        .height(8),
    )

    .withRow(new RowBuilder('Analysis'))
    .withPanel(
      bars(timeseries('Analysis windows by result', 'short', [{ expr: 'sum by (result) (increase(bascule_monitor_windows_total[$__rate_interval]))', legend: '{{result}}' }], 'Windows the monitor judged: pass, fail, or insufficient data.'))
        .span(8)
        .height(8),
    )
    .withPanel(
      bars(
        timeseries('Analysis outcomes', 'short', [{ expr: 'sum by (outcome, phase) (increase(bascule_monitor_outcomes_total[$__rate_interval]))', legend: '{{outcome}} ({{phase}})' }], 'What failed windows led to: backfill throttled or resumed, analysis failed (rollback or pause), regression after completion.'),
      )
        .span(8)
        .height(8),
    )
    .withPanel(
      bars(timeseries('Canary windows by verdict', 'short', [{ expr: 'sum by (verdict) (increase(bascule_api_canary_windows_total[$__rate_interval]))', legend: '{{verdict}}' }], "The api-agent's judged canary windows."))
        .span(8)
        .height(8),
    )
    .withPanel(stat('Migrations watched', 'short', [{ expr: 'sum(bascule_monitor_watches)', legend: 'watched' }]).span(6).height(6))
    .withPanel(
      timeseries('API 5xx ratio by service and version', 'percentunit', [
        {
          expr: 'sum by (service, version) (rate(bascule_api_server_errors_total[$__rate_interval])) / sum by (service, version) (rate(bascule_api_requests_total[$__rate_interval]))',
          legend: '{{service}} {{version}}',
        },
      ])
        .span(9)
        .height(6),
    )
    .withPanel(timeseries('API traffic share by version', 'percent', [{ expr: 'max by (service, version) (bascule_api_traffic_share_percent)', legend: '{{service}} {{version}}' }]).span(9).height(6));
  return numberPanels(builder.build());
}
