import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { sqlOn } from './operation-cycle';

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * Loads the workspace's TypeScript in a plain Node process (transpile-on-require plus the path
 * aliases), so crash tests can kill a real engine process without a build first.
 */
const PRELUDE = `
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const root = ${JSON.stringify(ROOT)};
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
require.extensions['.ts'] = (module, filename) => {
  const output = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  module._compile(output, filename);
};
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
