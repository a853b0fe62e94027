import { RecoveryPoint } from '@bascule/contracts';
import type { StoredEvent } from '@bascule/event-store';

/** One boundary of the migration and where the target's WAL was then. */
export interface RecoveryPointView {
  boundary: string;
  lsn: string;
  at: string;
}

/** The recovery points the process manager recorded, in the order of the migration (docs/recovery.md). */
export function recoveryPointsOf(events: readonly StoredEvent[]): RecoveryPointView[] {
  const points: RecoveryPointView[] = [];
  for (const event of events) {
    const data = event.data as { recoveryPoint?: unknown; phaseIndex?: number; phase?: string };
    const point = RecoveryPoint.safeParse(data?.recoveryPoint);
    if (!point.success) continue;
    const boundary = boundaryOf(event.type, data);
    if (boundary) points.push({ boundary, ...point.data });
  }
  return points;
}

function boundaryOf(type: string, data: { phaseIndex?: number; phase?: string }): string | null {
  const phase = `phase ${Number(data.phaseIndex) + 1} "${data.phase ?? '?'}"`;
  if (type === 'PhaseStarted') return `before ${phase}`;
  if (type === 'PhaseCompleted') return `after ${phase}`;
  if (type === 'MigrationExpanded') return 'expanded';
  if (type === 'MigrationCompleted') return 'completed (after the contract)';
  return null;
}

/** The report's section: each point as a `recovery_target_lsn` a point-in-time recovery can stop at. */
export function recoveryPointLines(points: readonly RecoveryPointView[]): string[] {
  if (points.length === 0) return [];
  return [
    '',
    '## Recovery points',
    '',
    'Where the target\'s WAL was at each boundary: a point-in-time recovery from your WAL archive with `recovery_target_lsn` set to one of these (and `recovery_target_inclusive = false`) stops just before it (docs/recovery.md).',
    '',
    '| boundary | WAL position | at |',
    '|---|---|---|',
    ...points.map((point) => `| ${point.boundary} | \`${point.lsn}\` | ${point.at} |`),
  ];
}
