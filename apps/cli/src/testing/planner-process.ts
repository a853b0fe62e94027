import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '@bascule/testing';

/** The workspace root, from apps/cli/src/testing. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');
const PLANNER_MAIN = join(WORKSPACE_ROOT, 'dist', 'apps', 'planner', 'src', 'main.js');
const BASCULE_BIN = join(WORKSPACE_ROOT, 'bin', 'bascule');

/**
 * The planner from dist/ as its own process (`npm run build` first), as `bascule up` runs it: the
 * CLI's tests talk to it over HTTP like a user's shell does. An app may not import another app,
 * so the planner is a process here, not a Nest app in the test's process.
 */
export class PlannerProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk) => (this.output += String(chunk)));
    child.stderr?.on('data', (chunk) => (this.output += String(chunk)));
  }

  /** `env`: BASCULE_DATABASE_URL, BASCULE_BUS_PREFIX, BASCULE_TARGET_<NAME>_URL. Resolves once /health answers 200. */
  static async start(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<PlannerProcess> {
    if (!existsSync(PLANNER_MAIN)) throw new Error(`${PLANNER_MAIN} is missing: npm run build first`);
    const [port] = await freePorts(1);
    const child = spawn(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools', 'dist-paths.js'), PLANNER_MAIN], {
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const planner = new PlannerProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the planner exited with ${child.exitCode}:\n${planner.output}`);
      if (await fetch(`${planner.url}/health`).then((response) => response.ok, () => false)) return planner;
      if (Date.now() > deadline) {
        await planner.stop();
        throw new Error(`the planner was not healthy after ${timeoutMs} ms:\n${planner.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** SIGTERM, SIGKILL after 10 s; resolves once it is gone. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  /** What it printed on stdout so far. */
  stdout(): string;
  done: Promise<CliRun>;
}

/** `./bin/bascule ARGS` (the built CLI) as a child, with `env` on top of the test's environment. */
export function startBascule(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(BASCULE_BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { stdout: () => stdout, done };
}

/** `./bin/bascule ARGS` to its end. */
export function runBascule(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startBascule(args, env).done;
}
