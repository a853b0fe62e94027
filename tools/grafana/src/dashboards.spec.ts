import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { dashboardJson, DASHBOARDS } from './dashboards';

const ROOT = join(__dirname, '..', '..', '..');
const GRAFANA = join(ROOT, 'deploy', 'grafana');
/** Committed; `npm run grafana:dashboards` regenerates them. */
const DASHBOARD_DIR = join(GRAFANA, 'dashboards');

/** The metrics the services register for issue 21, as agreed; the analysis and API ones are read from their source. */
const AGREED_METRICS = [
  'bascule_service_info',
  'bascule_migrations',
  'bascule_migration_commands_total',
  'bascule_step_duration_seconds',
  'bascule_phase_duration_seconds',
  'bascule_backfill_rows_total',
  'bascule_backfill_rows_per_second',
  'bascule_backfill_batch_duration_seconds',
  'bascule_rollback_seconds',
  'bascule_relay_lag_seconds',
  'bascule_relay_published_total',
  'bascule_consumer_pending_messages',
  'bascule_consumer_redeliveries_total',
  'bascule_messages_handled_total',
  'bascule_message_handling_seconds',
  'bascule_dead_letters_total',
];
const METRIC_SOURCES = ['apps/monitor/src/analysis/analysis-metrics.ts', 'apps/api-agent/src/metrics/api-traffic-metrics.ts'];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The metric names an expression reads: a histogram's _bucket, _count and _sum series are the histogram. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/bascule_[a-z_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''));
}

/** Every value under `key`, at any depth. */
function valuesOf(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesOf(item, key));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([name, value]) => [...(name === key ? [value] : []), ...valuesOf(value, key)]);
}

function panelsOf(dashboard: Json): Json[] {
  return (dashboard.panels as Json[]).flatMap((panel) => [panel, ...(panel.type === 'row' ? (panel.panels as Json[]) : [])]);
}

describe('Grafana dashboards', () => {
  const generated = DASHBOARDS.map(({ file, build }) => ({ file, text: dashboardJson(build()) }));
  if (process.env.UPDATE_GRAFANA_DASHBOARDS === '1') {
    mkdirSync(DASHBOARD_DIR, { recursive: true });
    for (const stale of readdirSync(DASHBOARD_DIR).filter((name) => !generated.some(({ file }) => file === name))) rmSync(join(DASHBOARD_DIR, stale));
    for (const { file, text } of generated) writeFileSync(join(DASHBOARD_DIR, file), text);
  }
  const dashboards = generated.map(({ file, text }) => ({ file, json: JSON.parse(text) as Json }));

  it('are committed exactly as generated (run `npm run grafana:dashboards` after changing tools/grafana)', () => {
    expect(readdirSync(DASHBOARD_DIR).sort()).toEqual(generated.map(({ file }) => file).sort());
    for (const { file, text } of generated) expect({ file, text: readFileSync(join(DASHBOARD_DIR, file), 'utf8') }).toEqual({ file, text });
  });

  it('query only metrics the services register', () => {
    const fromSource = METRIC_SOURCES.flatMap((path) => [...readFileSync(join(ROOT, path), 'utf8').matchAll(/['"](bascule_[a-z_]+)['"]/g)].map(([, name]) => name));
    expect(fromSource).toEqual(expect.arrayContaining(['bascule_monitor_windows_total', 'bascule_api_canary_windows_total']));
    const known = new Set([...AGREED_METRICS, ...fromSource]);
    for (const { file, json } of dashboards) {
      const queries = [...valuesOf(json, 'expr'), ...valuesOf(json.templating, 'query')].filter((query): query is string => typeof query === 'string');
      const used = queries.flatMap(metricNames);
      expect(used.length).toBeGreaterThan(0);
      expect({ file, unknown: used.filter((name) => !known.has(name)) }).toEqual({ file, unknown: [] });
    }
  });

  it('reads a histogram through its buckets, count and sum as the histogram itself', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le) (rate(bascule_rollback_seconds_bucket[5m]))) / bascule_rollback_seconds_count')).toEqual([
      'bascule_rollback_seconds',
      'bascule_rollback_seconds',
    ]);
    expect(metricNames('max(bascule_migrations{status="running"})')).toEqual(['bascule_migrations']);
  });

  it('use only the provisioned datasources, by uid and type', () => {
    const provisioned = parse(readFileSync(join(GRAFANA, 'datasources.yaml'), 'utf8')) as { datasources: Array<{ uid: string; type: string }> };
    const types = new Map(provisioned.datasources.map(({ uid, type }) => [uid, type]));
    for (const { file, json } of dashboards) {
      const refs = valuesOf(json, 'datasource') as Array<{ uid: string; type: string }>;
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect({ file, ref: { uid: ref.uid, type: types.get(ref.uid) } }).toEqual({ file, ref: { uid: ref.uid, type: ref.type } });
    }
  });

  it('have unique panel ids, a schema version, unique uids and panels within the 24-column grid', () => {
    for (const { file, json } of dashboards) {
      const ids = panelsOf(json).map((panel) => panel.id);
      expect(ids.every((id) => Number.isInteger(id))).toBe(true);
      expect({ file, duplicated: ids.filter((id, index) => ids.indexOf(id) !== index) }).toEqual({ file, duplicated: [] });
      expect(json.schemaVersion).toEqual(expect.any(Number));
      expect(json.title).toMatch(/^Bascule · /);
      expect(json.uid.length).toBeLessThanOrEqual(40);
      for (const { gridPos } of panelsOf(json)) expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
    }
    const uids = dashboards.map(({ json }) => json.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it("show one migration's trace from Tempo, by the trace id variable", () => {
    const [timeline] = dashboards.filter(({ file }) => file === 'migration-timeline.json').map(({ json }) => json);
    expect(timeline.templating.list.map((variable: Json) => variable.name)).toEqual(expect.arrayContaining(['trace_id', 'migration']));
    const traces = panelsOf(timeline).filter((panel) => panel.type === 'traces');
    expect(traces).toEqual([
      expect.objectContaining({
        datasource: { type: 'tempo', uid: 'tempo' },
        targets: [expect.objectContaining({ queryType: 'traceql', query: '${trace_id}' })],
      }),
    ]);
  });

  it('are what docker-compose.yml mounts where the provisioning files say', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as Json;
    const mounts = new Map<string, string>((compose.services.grafana.volumes as string[]).map((volume) => volume.split(':') as [string, string]));
    const providers = parse(readFileSync(join(GRAFANA, 'dashboard-providers.yaml'), 'utf8')) as { providers: Array<{ type: string; options: { path: string } }> };
    expect(mounts.get('./deploy/grafana/datasources.yaml')).toMatch(/^\/etc\/grafana\/provisioning\/datasources\/[^/]+\.yaml$/);
    expect(mounts.get('./deploy/grafana/dashboard-providers.yaml')).toMatch(/^\/etc\/grafana\/provisioning\/dashboards\/[^/]+\.yaml$/);
    expect(providers.providers).toEqual([expect.objectContaining({ type: 'file', options: expect.objectContaining({ path: mounts.get('./deploy/grafana/dashboards') }) })]);
  });
});
