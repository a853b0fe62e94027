import { BigValueColorMode, BigValueGraphMode, GraphDrawStyle, LegendDisplayMode, LegendPlacement, ReduceDataOptionsBuilder, SortOrder, StackingConfigBuilder, StackingMode, TooltipDisplayMode, VizLegendOptionsBuilder, VizTooltipOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS } from './datasources';

/** One PromQL target: the expression and how its series are named in the legend. */
export interface Query {
  expr: string;
  legend: string;
}

/**
 * Joins a per-process series to its service name. Prometheus labels every sample with the scrape
 * target's `instance`; `bascule_service_info{service}` (always 1) says which service that target is.
 */
export function byService(expr: string): string {
  return `(${expr}) * on (job, instance) group_left (service) bascule_service_info`;
}

/** The p50 and p95 of a histogram, per `by` labels, over the panel's rate interval. */
export function quantiles(histogram: string, by: readonly string[], selector = ''): Query[] {
  const labels = ['le', ...by].join(', ');
  const legend = by.map((label) => `{{${label}}}`).join(' ');
  return [0.5, 0.95].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (${labels}) (rate(${histogram}_bucket${selector}[$__rate_interval])))`,
    legend: `${legend} p${q * 100}`.trim(),
  }));
}

function targets(queries: readonly Query[]): DataqueryBuilder[] {
  return queries.map((query, index) =>
    new DataqueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .datasource(PROMETHEUS)
      .expr(query.expr)
      .legendFormat(query.legend),
  );
}

export function timeseries(title: string, unit: string, queries: readonly Query[], description = ''): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(title)
    .datasource(PROMETHEUS)
    .unit(unit)
    .min(0)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.Table).placement(LegendPlacement.Bottom).calcs(['lastNotNull', 'max']))
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending))
    .targets(targets(queries));
  return description ? panel.description(description) : panel;
}

/** A number per series at the end of the range (instant queries), e.g. migrations by status now. */
export function stat(title: string, unit: string, queries: readonly Query[], description = ''): StatPanelBuilder {
  const panel = new StatPanelBuilder()
    .title(title)
    .datasource(PROMETHEUS)
    .unit(unit)
    .colorMode(BigValueColorMode.Value)
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .targets(targets(queries).map((target) => target.instant()));
  return description ? panel.description(description) : panel;
}

/**
 * Gives every panel, rows and panels inside collapsed rows included, its own id in layout order:
 * Grafana keys panel state and links (`viewPanel=`) by id, so ids must be unique in a dashboard.
 */
export function numberPanels(dashboard: Dashboard): Dashboard {
  let next = 1;
  for (const panel of dashboard.panels ?? []) {
    panel.id = next++;
    const inner: Panel[] = panel.type === 'row' ? (panel as RowPanel).panels : [];
    for (const child of inner) child.id = next++;
  }
  return dashboard;
}

/** Counts per interval as stacked bars: the readable shape for rare events (commands, rollbacks, windows). */
export function bars(panel: TimeseriesPanelBuilder): TimeseriesPanelBuilder {
  return panel.drawStyle(GraphDrawStyle.Bars).fillOpacity(80).stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
}
