import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { migrationTimeline } from './migration-timeline.dashboard';
import { migrationsOverview } from './migrations-overview.dashboard';
import { relayAndConsumers } from './relay-and-consumers.dashboard';

/** deploy/grafana/dashboards/<file>: what Grafana's file provider loads. */
export const DASHBOARDS: ReadonlyArray<{ file: string; build: () => Dashboard }> = [
  { file: 'migrations-overview.json', build: migrationsOverview },
  { file: 'migration-timeline.json', build: migrationTimeline },
  { file: 'relay-and-consumers.json', build: relayAndConsumers },
];

/** The file's text as committed: two-space JSON and a final newline. */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
