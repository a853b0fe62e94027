import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The example application (examples/shop-api) as the demo runs it: one process per version. */
export interface ShopApiVersion {
  version: 'v1' | 'v2';
  port: number;
  env?: Record<string, string>;
}

export class ShopApiProcesses {
  private constructor(private readonly children: ChildProcess[]) {}

  /** Starts each version from the build (dist/examples/shop-api) and waits until it answers. */
  static async start(root: string, databaseUrl: string, versions: ShopApiVersion[]): Promise<ShopApiProcesses> {
    const main = join(root, 'dist', 'examples', 'shop-api', 'src', 'main.js');
    const children = versions.map((version) =>
      spawn(process.execPath, [main], {
        env: { ...process.env, ...version.env, SHOP_API_VERSION: version.version, PORT: String(version.port), DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    const processes = new ShopApiProcesses(children);
    try {
      await Promise.all(versions.map((version, index) => waitUntilAnswering(`http://127.0.0.1:${version.port}/health`, children[index])));
    } catch (error) {
      await processes.stop();
      throw error;
    }
    return processes;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`shop-api exited with ${child.exitCode}: ${stderr.trim()}`);
    const answered = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return;
    await sleep(100);
  }
  throw new Error(`shop-api did not answer ${url} within ${timeoutMs} ms: ${stderr.trim()}`);
}
