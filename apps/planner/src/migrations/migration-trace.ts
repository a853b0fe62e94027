import type { StoredEvent } from '@bascule/event-store';
import { traceIdOf } from '@bascule/telemetry';

/** The provisioned Tempo datasource (deploy/grafana/datasources.yaml). */
export const TEMPO_DATASOURCE_UID = 'tempo';

/** A migration's one trace: its id, and where Grafana shows it when `BASCULE_GRAFANA_URL` is set. */
export interface MigrationTrace {
  traceId: string;
  grafanaUrl: string | null;
}

export class InvalidGrafanaUrlError extends Error {
  constructor(value: string) {
    super(`BASCULE_GRAFANA_URL must be an http(s) URL such as http://grafana:3000, got ${JSON.stringify(value)}`);
    this.name = 'InvalidGrafanaUrlError';
  }
}

/** `BASCULE_GRAFANA_URL` checked: unset or empty is null, anything but an http(s) URL is refused. */
export function grafanaBaseUrl(value: string | undefined): URL | null {
  if (value === undefined || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidGrafanaUrlError(value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidGrafanaUrlError(value);
  return url;
}

/** The trace the migration's first event was written in (the request that planned it); null when it was planned outside a span. */
export function migrationTraceOf(events: readonly StoredEvent[], grafana: URL | null): MigrationTrace | null {
  const traceId = traceIdOf(events[0]?.metadata['traceparent']);
  if (!traceId) return null;
  return { traceId, grafanaUrl: grafana ? grafanaExploreUrl(grafana, traceId) : null };
}

/** Grafana Explore with the Tempo datasource open on one trace id. */
export function grafanaExploreUrl(grafana: URL, traceId: string): string {
  const pane = {
    datasource: TEMPO_DATASOURCE_UID,
    queries: [{ refId: 'A', datasource: { type: 'tempo', uid: TEMPO_DATASOURCE_UID }, queryType: 'traceql', query: traceId }],
    range: { from: 'now-7d', to: 'now' },
  };
  const url = new URL('explore', grafana.href.endsWith('/') ? grafana.href : `${grafana.href}/`);
  url.searchParams.set('schemaVersion', '1');
  url.searchParams.set('panes', JSON.stringify({ trace: pane }));
  return url.toString();
}
