import type { StoredEvent } from '@bascule/event-store';
import { grafanaBaseUrl, InvalidGrafanaUrlError, migrationTraceOf } from './migration-trace';

const planned = (metadata: Record<string, unknown>) => [{ metadata } as unknown as StoredEvent];
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('a migration\'s trace', () => {
  it('is the trace its first event was written in, with a Grafana Explore link on the Tempo datasource when Grafana is configured', () => {
    expect(migrationTraceOf(planned({ traceparent: TRACEPARENT }), null)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', grafanaUrl: null });
    const trace = migrationTraceOf(planned({ traceparent: TRACEPARENT }), grafanaBaseUrl('https://grafana.example.com/sub'));
    const url = new URL(trace!.grafanaUrl!);
    expect(`${url.origin}${url.pathname}`).toBe('https://grafana.example.com/sub/explore');
    const panes = JSON.parse(url.searchParams.get('panes')!) as Record<string, { datasource: string; queries: Array<{ query: string }> }>;
    expect(Object.values(panes)[0]).toMatchObject({ datasource: 'tempo', queries: [{ query: '4bf92f3577b34da6a3ce929d0e0e4736' }] });
  });

  it('is none for a migration planned outside any span, or with a malformed or all-zero traceparent', () => {
    expect(migrationTraceOf(planned({}), null)).toBeNull();
    expect(migrationTraceOf(planned({ traceparent: 'not-a-traceparent' }), null)).toBeNull();
    expect(migrationTraceOf(planned({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }), null)).toBeNull();
    expect(migrationTraceOf([], null)).toBeNull();
  });

  it('BASCULE_GRAFANA_URL: unset or blank is no link; anything but an http(s) URL is refused naming the variable', () => {
    expect(grafanaBaseUrl(undefined)).toBeNull();
    expect(grafanaBaseUrl('  ')).toBeNull();
    expect(() => grafanaBaseUrl('grafana:3000')).toThrow(InvalidGrafanaUrlError);
    expect(() => grafanaBaseUrl('javascript:alert(1)')).toThrow(/BASCULE_GRAFANA_URL must be an http\(s\) URL/);
    expect(() => grafanaBaseUrl('not a url')).toThrow(/BASCULE_GRAFANA_URL/);
  });
});
