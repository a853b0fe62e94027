import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { durationToMs } from '@bascule/contracts';
import { EXIT_CODES_HELP, isOnCallError, plannerFailure } from './on-call-exit';
import { PlannerClient, PlannerRequestError } from './planner-client';

/** ARCHITECTURE.md "Configuration": the planner listens on PORT, default 3000, on loopback. */
export const DEFAULT_PLANNER_URL = 'http://127.0.0.1:3000';

export interface PlannerOptions {
  plannerUrl?: string;
  token?: string;
  json?: boolean;
  as?: string;
}

/** --planner-url, --token, --json (and the exit codes in the help) for every on-call command. */
export function withPlannerOptions(command: Command): Command {
  return command
    .option('--planner-url <url>', `the planner's REST API (env BASCULE_PLANNER_URL, else ${DEFAULT_PLANNER_URL})`)
    .option('--token <token>', 'bearer token when the planner requires one (env BASCULE_TOKEN; prefer it: a command line is visible to other users)')
    .option('--json', 'machine output on stdout: the REST body, or what was sent; errors as {"error": {code, message}}')
    .addHelpText('after', EXIT_CODES_HELP);
}

/** Who is acting: `--as`, else the OS user. With a token the planner records the token's subject instead. */
export function actorName(as: string | undefined): string {
  if (as) return as;
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers): the environment is all there is.
    return process.env['USER'] || process.env['LOGNAME'] || 'unknown';
  }
}

export function plannerUrlOf(options: PlannerOptions): string {
  return (options.plannerUrl || process.env['BASCULE_PLANNER_URL'] || DEFAULT_PLANNER_URL).replace(/\/+$/, '');
}

export function plannerClientFor(options: PlannerOptions): PlannerClient {
  return new PlannerClient(plannerUrlOf(options), actorName(options.as), options.token || process.env['BASCULE_TOKEN'] || undefined);
}

/** Commander parser for `--interval 1s`, `--timeout 10m`: a Bascule duration, at least 1 ms. */
export function durationOption(value: string): number {
  const ms = durationToMs(value);
  if (ms === null || ms <= 0) throw new InvalidArgumentError(`"${value}" is not a duration like 500ms, 30s, 10m or 1h`);
  return ms;
}

/** What a command prints on success: text for people, or with --json the value as JSON. */
export function emit(options: PlannerOptions, text: string, json: unknown): void {
  process.stdout.write(options.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
}

/**
 * Runs one on-call command and turns every failure into one line and its exit code: a planner
 * that did not answer, a 404 naming the id, a refusal with the planner's own code and message.
 * `what` says what was asked ("pause migration X") for those lines.
 */
export async function runOnCall(options: PlannerOptions, what: string, id: string | null, work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (thrown) {
    const error = thrown instanceof PlannerRequestError ? plannerFailure(thrown, plannerUrlOf(options), what, id) : thrown;
    if (!isOnCallError(error)) throw error;
    process.stderr.write(`bascule: ${error.message}\n`);
    if (options.json) process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } })}\n`);
    process.exitCode = error.exitCode;
  }
}
