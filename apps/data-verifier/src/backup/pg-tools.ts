import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PgToolFailedError, PgToolNotFoundError } from './backup.errors';

export type PgTool = 'pg_dump' | 'pg_restore';

/** What is spawned: the binary, its arguments (never a password) and the environment it gets the connection from. */
export interface PgInvocation {
  tool: PgTool;
  file: string;
  args: string[];
  env: Record<string, string>;
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where `tool` is: in BASCULE_PG_BIN when set (and only there: a pinned version is not silently
 * replaced), else the first on PATH, else the newest /usr/lib/postgresql/<version>/bin.
 */
export function resolvePgTool(tool: PgTool, env: NodeJS.ProcessEnv = process.env, versionsDir = '/usr/lib/postgresql'): string {
  const pinned = env['BASCULE_PG_BIN'];
  if (pinned) {
    const path = join(pinned, tool);
    if (executable(path)) return path;
    throw new PgToolNotFoundError(tool, `BASCULE_PG_BIN=${pinned}`);
  }
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    if (executable(join(dir, tool))) return join(dir, tool);
  }
  let versions: string[] = [];
  try {
    versions = readdirSync(versionsDir).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  } catch {
    versions = [];
  }
  for (const version of versions) {
    const path = join(versionsDir, version, 'bin', tool);
    if (executable(path)) return path;
  }
  throw new PgToolNotFoundError(tool, `not in PATH nor ${versionsDir}/<version>/bin`);
}

const STDERR_LIMIT = 4000;

/** How a child process is started: `child_process.spawn`, or a test's wrapper around it that records what it got. */
export type Spawner = typeof spawn;

/** Runs the tool; resolves when it exits 0, else rejects with PgToolFailedError carrying the end of its stderr. */
export function runPgTool(invocation: PgInvocation, spawner: Spawner = spawn): Promise<void> {
  return new Promise((resolve, reject) => {
    // Only the connection variables are added to the service's environment; nothing goes through a shell.
    const child = spawner(invocation.file, invocation.args, { env: { ...process.env, ...invocation.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
    });
    child.on('error', (error) => reject(new PgToolFailedError(invocation.tool, `could not start (${error.message})`, '')));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new PgToolFailedError(invocation.tool, signal ? `was killed by ${signal}` : `exited with ${code}`, stderr.trim()));
    });
  });
}
