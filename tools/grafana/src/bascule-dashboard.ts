import { DashboardBuilder, DashboardCursorSync, DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';

const TAG = 'bascule';

/**
 * What every Bascule dashboard shares: the tag the others find it by (a dropdown of links that keeps
 * the time range), a shared crosshair, a 30 s refresh (Prometheus scrapes every 15 s).
 */
export function basculeDashboard(title: string, uid: string, description: string, from: string): DashboardBuilder {
  return (
    new DashboardBuilder(`Bascule · ${title}`)
      .uid(uid)
      .description(description)
      .tags([TAG])
      .time({ from, to: 'now' })
      .refresh('30s')
      .tooltip(DashboardCursorSync.Crosshair)
      .link(new DashboardLinkBuilder('Bascule').type(DashboardLinkType.Dashboards).tags([TAG]).asDropdown(true).keepTime(true).includeVars(false))
      // An empty list, not the SDK's `{}`: Grafana adds its built-in annotations to the list.
      .annotations([])
  );
}
