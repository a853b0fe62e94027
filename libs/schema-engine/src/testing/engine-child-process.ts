import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { TYPESCRIPT_CHILD_PRELUDE } from '@bascule/testing';
import { sqlOn } from './operation-cycle';

/** Transpile-on-require (TYPESCRIPT_CHILD_PRELUDE), then `engineLib` for the body: crash tests kill a real engine process without a build first. */
const PRELUDE = `${TYPESCRIPT_CHILD_PRELUDE}
const engineLib = require(path.join(root, 'libs/schema-engine/src/index.ts'));
`;

/**
 * Runs `body` (JavaScript; `engineLib` is `@bascule/schema-engine`, top-level `await` allowed) in a
 * child process. Its stderr is collected for failure messages.
 */
export function spawnEngineChild(body: string, env: Record<string, string> = {}): ChildProcessWithoutNullStreams & { stderrText(): string } {
  const script = `${PRELUDE}\n(async () => {\n${body}\n})().catch((error) => { process.stderr.write(String(error) + '\\n'); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  return Object.assign(child, { stderrText: () => stderr });
}

/**
 * Waits until no session of the database holds an advisory lock. A killed engine's backend notices
 * its closed socket only at its next read (a lock wait or a long statement delays that) and holds
 * the schema's advisory lock until then.
 */
export async function waitUntilEngineLocksReleased(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const held = `SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
  while ((await sqlOn(url, held)).length > 0) {
    if (Date.now() > deadline) throw new Error('a killed engine still holds its advisory lock');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
