import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export { freePorts } from '@bascule/testing';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const BASCULE_BIN = join(REPO_ROOT, 'bin', 'bascule');

/** `./bin/bascule up` as a child of the test, with its output collected for assertions. */
export class BasculeUp {
  readonly process: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.process = spawn(BASCULE_BIN, ['up', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.process.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** service → pid, from up's `starting <service> on port <port> (pid <pid>)` lines. */
  startedPids(): Map<string, number> {
    const pids = new Map<string, number>();
    for (const match of this.stdout.matchAll(/^starting (\S+) on port \d+ \(pid (\d+)\)$/gm)) pids.set(match[1], Number(match[2]));
    return pids;
  }

  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.stdout)) {
      if (Date.now() > deadline || this.process.exitCode !== null) {
        throw new Error(`no ${pattern} in up's output; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      await sleep(100);
    }
  }
}

/** The direct children of a process, as the OS sees them (not as up reports them). */
export function childPidsOf(pid: number): number[] {
  const result = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export async function httpGet(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
