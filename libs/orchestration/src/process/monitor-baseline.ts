import { deterministicId } from '../ids/deterministic-id';
import type { MigrationState } from '../state/migration-state';
import type { DecidedCommand } from './process-decision';

/** The id of the one `monitor.baseline` a migration sends: the same on every decision and after a restart. */
export const monitorBaselineCommandId = (migrationId: string): string => deterministicId(migrationId, 'monitor-baseline');

/**
 * With a `monitor` section, performance is measured before anything changes: phase 0 does not
 * start until the monitor recorded its baseline (MonitorBaselineRecorded).
 */
export function awaitsMonitorBaseline(state: Pick<MigrationState, 'spec' | 'monitor'>): boolean {
  return state.spec.monitor !== undefined && state.monitor.baseline === null;
}

/** The monitor reads the metrics and the baseline's length from the stored spec: the command only names the migration. */
export function monitorBaselineCommand(state: Pick<MigrationState, 'id' | 'target'>): DecidedCommand {
  const commandId = monitorBaselineCommandId(state.id);
  return { definition: 'monitor.baseline', commandId, payload: { migrationId: state.id, target: state.target, commandId } };
}
