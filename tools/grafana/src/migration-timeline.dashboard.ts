import { PanelBuilder, RowBuilder, TextBoxVariableBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { TempoQueryBuilder } from '@grafana/grafana-foundation-sdk/tempo';
import { PanelBuilder as TextPanelBuilder, TextMode } from '@grafana/grafana-foundation-sdk/text';
import { TEMPO } from './datasources';
import { basculeDashboard } from './bascule-dashboard';
import { bars, byService, numberPanels, quantiles, timeseries } from './panels';

const ABOUT = `One migration is one trace: every command, event handler, step, backfill batch, verification and
rollback of it is a span, across the six services. Put its **trace id** (\`bascule migrations show ID\`,
or \`traceId\` in \`GET /migrations/:id\`) in *Trace id* and its id in *Migration*.

Only the analysis gauges carry a \`migration\` label. Backfill, step and analysis-window series are
the fleet's (no migration id on histograms and counters): set the time range to the migration's
(the trace's start and end) to read them as this migration's timeline.`;

/** One migration: its trace from Tempo, and the fleet's backfill and analysis series over the same time. */
export function migrationTimeline(): Dashboard {
  const builder = basculeDashboard(
    'Migration timeline',
    'bascule-migration-timeline',
    "One migration's trace (Tempo) beside backfill throughput and analysis windows over time.",
    'now-1h',
  )
    .withVariable(new TextBoxVariableBuilder('trace_id').label('Trace id').description("The migration's trace id (32 hex digits), as the report and GET /migrations/:id show it."))
    .withVariable(new TextBoxVariableBuilder('migration').label('Migration').description('The migration id: selects its analysis gauges.'))

    .withPanel(new TextPanelBuilder().title('How to read this dashboard').mode(TextMode.Markdown).content(ABOUT).span(24).height(5))
    .withPanel(
      new PanelBuilder()
        .type('traces')
        .title('Trace ${trace_id}')
        .datasource(TEMPO)
        .withTarget(new TempoQueryBuilder().refId('A').datasource(TEMPO).queryType('traceql').query('${trace_id}'))
        .span(24)
        .height(16),
    )

    .withRow(new RowBuilder('Backfill'))
    .withPanel(
      timeseries('Backfill rows/s', 'rowsps', [
        { expr: byService('bascule_backfill_rows_per_second'), legend: '{{service}} {{instance}} (reported)' },
        { expr: 'sum(rate(bascule_backfill_rows_total[$__rate_interval]))', legend: 'all (from the counter)' },
      ], 'The rate each backfilling process reports, and the rate computed from the rows counter.')
        .span(12)
        .height(8),
    )
    .withPanel(timeseries('Backfill batch duration p50 / p95', 's', quantiles('bascule_backfill_batch_duration_seconds', [])).span(12).height(8))
    .withPanel(
      bars(timeseries('Steps finished by kind and outcome', 'short', [{ expr: 'sum by (kind, outcome) (increase(bascule_step_duration_seconds_count[$__rate_interval]))', legend: '{{kind}} {{outcome}}' }]))
        .span(12)
        .height(8),
    )
    .withPanel(
      bars(timeseries('Rollbacks by trigger', 'short', [{ expr: 'sum by (trigger) (increase(bascule_rollback_seconds_count[$__rate_interval]))', legend: '{{trigger}}' }])).span(12).height(8),
    )

    .withRow(new RowBuilder('Analysis'))
    .withPanel(
      bars(timeseries('Analysis windows by result', 'short', [{ expr: 'sum by (result) (increase(bascule_monitor_windows_total[$__rate_interval]))', legend: '{{result}}' }])).span(12).height(8),
    )
    .withPanel(
      timeseries('Consecutive failed windows', 'short', [{ expr: 'max(bascule_monitor_consecutive_failed_windows{migration="$migration"})', legend: 'failed in a row' }], 'Reaching the failure limit fails the analysis.')
        .span(12)
        .height(8),
    )
    .withPanel(
      timeseries('Watched metrics: current vs baseline and threshold', 'short', [
        { expr: 'max by (metric) (bascule_monitor_metric_current{migration="$migration"})', legend: '{{metric}} current' },
        { expr: 'max by (metric) (bascule_monitor_metric_baseline{migration="$migration"})', legend: '{{metric}} baseline' },
        { expr: 'max by (metric) (bascule_monitor_metric_threshold{migration="$migration"})', legend: '{{metric}} threshold' },
      ], 'Milliseconds for probes, a ratio for failure rates; the metric fails beyond its threshold.')
        .span(12)
        .height(8),
    )
    .withPanel(
      timeseries('Watched metrics: change and p-value', 'percentunit', [
        { expr: 'max by (metric) (bascule_monitor_metric_change_ratio{migration="$migration"})', legend: '{{metric}} change' },
        { expr: 'max by (metric) (bascule_monitor_metric_p_value{migration="$migration"})', legend: '{{metric}} p-value' },
      ], 'Change is (current − baseline) / |baseline|; p is the one-sided Mann-Whitney p that the window is worse than the baseline.')
        .span(12)
        .height(8),
    )
    .withPanel(timeseries('API traffic share by version', 'percent', [{ expr: 'max by (service, version) (bascule_api_traffic_share_percent)', legend: '{{service}} {{version}}' }]).span(24).height(7));
  return numberPanels(builder.build());
}
