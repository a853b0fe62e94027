import type { Command } from 'commander';
import { ON_CALL_EXIT } from './on-call-exit';
import { emit, plannerClientFor, runOnCall, withPlannerOptions, type PlannerOptions } from './on-call-options';
import { PlannerRequestError } from './planner-client';
import { registerRollbackCommand } from './rollback.command';

type Action = 'pause' | 'resume' | 'complete';

interface ActionOptions extends PlannerOptions {
  reason?: string;
}

const ACTIONS: Array<{ action: Action; description: string }> = [
  { action: 'pause', description: 'hold a running migration before its next step (POST /migrations/:id/pause); steps under way finish' },
  { action: 'resume', description: 'let a paused migration go on (POST /migrations/:id/resume)' },
  { action: 'complete', description: 'contract an expanded migration now instead of at the end of its rollback window (POST /migrations/:id/complete); after this there is no rollback' },
];

/** `bascule pause|resume|complete ID` and `bascule rollback ID --reason TEXT`. */
export function registerMigrationActionCommands(program: Command): void {
  for (const { action, description } of ACTIONS) {
    const command = withPlannerOptions(program.command(action).argument('<id>', 'migration id').description(description)).option(
      '--as <name>',
      'who is acting, recorded in the event while the planner has no tokens (default: the OS user)',
    );
    if (action === 'pause') command.option('--reason <text>', 'why, recorded with the pause');
    command.action((id: string, options: ActionOptions) => runOnCall(options, `${action} migration ${id}`, id, () => sendAction(id, action, options)));
  }
  registerRollbackCommand(program);
}

async function sendAction(id: string, action: Action, options: ActionOptions): Promise<number> {
  const path = `/migrations/${id}/${action}`;
  const response = await plannerClientFor(options).command(id, action, options.reason ? { reason: options.reason } : {});
  if (response.status !== 202) throw new PlannerRequestError('POST', path, response.status, response.text);
  const accepted = response.body as { status?: string };
  emit(options, `${action} of ${id} accepted; status now ${accepted.status ?? 'unknown'}`, response.body);
  return ON_CALL_EXIT.ok;
}
