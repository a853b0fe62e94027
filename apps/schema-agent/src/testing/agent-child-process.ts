import { spawn, type ChildProcess } from 'node:child_process';
import { freePorts, TYPESCRIPT_CHILD_PRELUDE } from '@bascule/testing';

/**
 * Runs the schema-agent's own `main.ts` in a plain Node process (TYPESCRIPT_CHILD_PRELUDE: the
 * workspace's TypeScript transpiled on require): a test can SIGKILL a real agent mid-backfill
 * without building dist/ first.
 */
const PRELUDE = `${TYPESCRIPT_CHILD_PRELUDE}
require(path.join(root, 'apps/schema-agent/src/main.ts'));
`;

export interface AgentProcess {
  child: ChildProcess;
  /** Everything the agent wrote, for failure messages. */
  output(): string;
}

/** Starts an agent with `env` (store URL, bus prefix, target URLs) and waits until /health answers. */
export async function startAgentProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<AgentProcess> {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, ['-e', PRELUDE], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const agent = { child, output: () => output };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`schema-agent exited with ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.ok, () => false);
    if (healthy) return agent;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`schema-agent not healthy after ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** SIGKILL: no shutdown hook runs, the in-flight command stays unacknowledged, the batch under way is lost. */
export async function killAgentProcess(agent: AgentProcess): Promise<void> {
  if (agent.child.exitCode !== null || agent.child.signalCode !== null) return;
  const exited = new Promise((done) => agent.child.once('exit', done));
  agent.child.kill('SIGKILL');
  await exited;
}

/** SIGTERM, as `bascule up` or an orchestrator stops it: resolves with its exit and how long it took. */
export async function terminateAgentProcess(agent: AgentProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const began = Date.now();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => agent.child.once('exit', (code, signal) => done({ code, signal })));
  agent.child.kill('SIGTERM');
  return { ...(await exited), ms: Date.now() - began };
}
