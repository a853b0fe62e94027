import { Option, type Command } from 'commander';
import { ErrorCode } from 'nats';
import { busTopology } from '@bascule/messaging';
import { decideRollback, foldMigration } from '@bascule/orchestration';
import { followMigration } from './follow-migration';
import { ON_CALL_EXIT, OnCallError } from './on-call-exit';
import { actorName, durationOption, emit, plannerClientFor, plannerUrlOf, withPlannerOptions, runOnCall, type PlannerOptions } from './on-call-options';
import { publishRollbackCommand, type PublishedRollback } from './on-call-rollback';
import { PlannerRequestError } from './planner-client';

const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const NATS_TIMEOUT_MS = 10_000;

interface RollbackOptions extends PlannerOptions {
  reason: string;
  natsUrl?: string;
  busPrefix?: string;
  check: boolean;
  force?: boolean;
  watch?: boolean;
  interval: number;
  timeout?: number;
}

/**
 * `bascule rollback ID --reason TEXT [--as NAME]`: the on-call command of ARCHITECTURE.md
 * ("Messaging"), published on NATS like `nats pub <prefix>.cmd.rollback '{...}'`, so it works
 * with the planner down. Before sending, it asks the planner (when it answers) whether the
 * rollback-manager would take the command, so a mistyped id or a completed migration is said
 * at once instead of as a silent rejection in the rollback-manager's log.
 */
export function registerRollbackCommand(program: Command): void {
  withPlannerOptions(
    program
      .command('rollback')
      .argument('<id>', 'migration id')
      .description('roll a migration back: publishes the on-call command {migrationId, reason, requestedBy} on <prefix>.cmd.rollback (NATS), which the rollback-manager runs')
      .requiredOption('--reason <text>', 'why: recorded in RollbackStarted and in the report')
      .option('--as <name>', 'requestedBy (default: the OS user)')
      .option('--nats-url <url>', `NATS (env NATS_URL, else ${DEFAULT_NATS_URL}); credentials from NATS_CREDS or NATS_USER + NATS_PASSWORD`)
      .option('--bus-prefix <prefix>', 'the bus prefix of the installation (env BASCULE_BUS_PREFIX, else bascule)')
      .option('--no-check', 'do not ask the planner first (it is down, or this shell has no token for it)')
      .option('--force', 'send even when the planner says the rollback-manager would refuse it')
      .option('--watch', 'then follow the migration until rolled_back (exit 0) or rollback_failed (exit 11)')
      .addOption(new Option('--interval <duration>', 'with --watch: how often to ask the planner').argParser(durationOption).default(1_000, '1s'))
      .option('--timeout <duration>', 'with --watch: give up after this long (exit 13)', durationOption),
  ).action((id: string, options: RollbackOptions) =>
    runOnCall(options, `roll back migration ${id}`, id, async () => {
      const checked = options.check ? await checkRollback(id, options) : 'not checked (--no-check)';
      const request = { migrationId: id, reason: options.reason, requestedBy: actorName(options.as) };
      const sent = await publish(options, request);
      const stored = sent.storedAs ? ` (stored as ${sent.storedAs.stream} #${sent.storedAs.seq})` : '';
      emit(
        options,
        `rollback of ${id} sent on ${sent.subject}${stored}, requested by ${request.requestedBy}: ${request.reason}\n` +
          (options.watch ? '' : `the rollback-manager runs it; follow it with: bascule migrations watch ${id}`),
        { subject: sent.subject, payload: request, stream: sent.storedAs?.stream ?? null, seq: sent.storedAs?.seq ?? null, sentAt: new Date(sent.sentAt).toISOString(), check: checked },
      );
      if (!options.watch) return ON_CALL_EXIT.ok;
      return followMigration(id, options, (state) => {
        if (state.status === 'rolled_back') return { status: state.status, exitCode: ON_CALL_EXIT.ok, meaning: 'the target is back where it was before the migration, checked' };
        if (state.status === 'rollback_failed') return { status: state.status, exitCode: ON_CALL_EXIT.watchFailed, meaning: 'a compensation did not take effect: `bascule migrations show` says what is still in place' };
        return null;
      });
    }),
  );
}

/**
 * The rollback-manager's own decision (decideRollback) on the migration's events as the planner
 * serves them. Unknown id: exit 4; a refusal: exit 3 unless --force. A planner that cannot be
 * asked does not stop an on-call rollback: the bus is the way that must always work.
 */
async function checkRollback(id: string, options: RollbackOptions): Promise<string> {
  let decision: ReturnType<typeof decideRollback>;
  try {
    decision = decideRollback(foldMigration(await plannerClientFor(options).events(id)));
  } catch (error) {
    if (!(error instanceof PlannerRequestError) || error.status === 404) throw error;
    const why = error.status === null ? 'did not answer' : `answered ${error.status}`;
    process.stderr.write(`bascule: warning: the planner at ${plannerUrlOf(options)} ${why}, so the rollback is sent unchecked\n`);
    return `unchecked: the planner ${why}`;
  }
  if (decision.kind !== 'reject') return decision.kind === 'start' ? 'accepted' : 'already rolling back';
  if (!options.force) {
    throw new OnCallError('ROLLBACK_REFUSED', `the rollback-manager would refuse to roll back ${id} (${decision.code}): ${decision.message}; nothing sent (--force sends it anyway)`, ON_CALL_EXIT.refused, { reason: decision.code });
  }
  process.stderr.write(`bascule: warning: the rollback-manager will likely refuse this (${decision.code}): ${decision.message}; sending because of --force\n`);
  return `forced past ${decision.code}`;
}

async function publish(options: RollbackOptions, request: { migrationId: string; reason: string; requestedBy: string }): Promise<PublishedRollback> {
  const natsUrl = options.natsUrl || process.env['NATS_URL'] || DEFAULT_NATS_URL;
  const prefix = options.busPrefix || process.env['BASCULE_BUS_PREFIX'] || undefined;
  const topology = busTopology(prefix);
  try {
    return await publishRollbackCommand(natsUrl, topology.prefix, request, { clientName: 'bascule-cli-on-call', stored: true, timeoutMs: NATS_TIMEOUT_MS });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === ErrorCode.NoResponders) {
      throw new OnCallError(
        'COMMAND_NOT_STORED',
        `no JetStream stream stores ${topology.commandSubject('rollback')} on ${natsUrl}, so nothing would run it: is the bus prefix right (--bus-prefix, BASCULE_BUS_PREFIX; streams ${topology.commandsStream}) and have the services started once?`,
        ON_CALL_EXIT.busUnreachable,
        undefined,
        { cause: error },
      );
    }
    if (code === ErrorCode.Timeout) {
      throw new OnCallError('COMMAND_NOT_ACKNOWLEDGED', `NATS at ${natsUrl} did not acknowledge the rollback within ${NATS_TIMEOUT_MS / 1000} s: it may or may not be stored; sending it again is harmless`, ON_CALL_EXIT.busUnreachable, undefined, { cause: error });
    }
    throw new OnCallError('NATS_UNREACHABLE', `could not send the rollback through NATS at ${natsUrl} (${code ?? (error as Error).message}); nothing was sent`, ON_CALL_EXIT.busUnreachable, undefined, {
      cause: error,
    });
  }
}
