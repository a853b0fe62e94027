import { monitorBaselineCommand } from '../process/monitor-baseline';
import type { MigrationState } from '../state/migration-state';
import { refused, type CommandBinding, type MigrationClaim } from './command-claim';

/**
 * `monitor.baseline`, bound to what the process manager sends: once the migration started (it is
 * sent before phase 0, and a late redelivery after that is still the same command), only when the
 * spec has a `monitor` section, and only under its one deterministic id.
 */
export function bindMigrationCommand(state: MigrationState, claim: MigrationClaim): CommandBinding {
  if (state.startedAt === null) return refused('not_started', `migration "${state.id}" is ${state.status}: it has not started, nobody asked for a monitor baseline`);
  if (!state.spec.monitor) return refused('not_dispatched', `the spec of migration "${state.id}" has no monitor section: it takes no monitor baseline`);
  const command = monitorBaselineCommand(state);
  if (command.commandId !== claim.commandId) {
    return refused('not_dispatched', `migration "${state.id}" did not send ${claim.name} as command ${claim.commandId}`);
  }
  return { bound: true, command };
}
