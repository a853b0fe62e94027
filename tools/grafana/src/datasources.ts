import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';

/** The uids provisioned by deploy/grafana/datasources.yaml: dashboards refer to them, never to names. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: 'prometheus' };
export const TEMPO: DataSourceRef = { type: 'tempo', uid: 'tempo' };
