import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '@bascule/testing';
import { HaproxyRouter } from '../haproxy/haproxy-router';
import { HaproxyRuntimeApi } from '../haproxy/runtime-api';
import type { VersionUpstream } from '../router-adapter';
import { haproxyConfig } from './haproxy-config';
import { makeTempDir } from './temp-dir';
import { waitUntil } from './wait-until';

export const HAPROXY_BINARY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';

export interface HaproxyInstanceOptions {
  servers: readonly VersionUpstream[];
  backend?: string;
  weights?: Record<string, number>;
  /** UDP port HAProxy sends its request logs to. */
  logPort?: number;
}

/**
 * A real HAProxy for one test: its own temp dir (config, admin and user sockets, server-state
 * file) and frontend port, run in the foreground in master-worker mode (`-W -db`) so a test can
 * reload it with SIGUSR2 as `systemctl reload` does.
 */
export class HaproxyInstance {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly dir: { path: string; remove: () => void },
    readonly port: number,
    readonly backend: string,
    readonly configPath: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(options: HaproxyInstanceOptions): Promise<HaproxyInstance> {
    const dir = makeTempDir('bascule-haproxy-');
    const [port] = await freePorts(1);
    const backend = options.backend ?? 'app';
    const configPath = join(dir.path, 'haproxy.cfg');
    const paths = { adminSocket: join(dir.path, 'admin.sock'), userSocket: join(dir.path, 'user.sock'), serverStateFile: join(dir.path, 'server-state') };
    writeFileSync(configPath, haproxyConfig({ ...paths, port, backend, servers: options.servers, weights: options.weights, logPort: options.logPort }));
    const child = spawn(HAPROXY_BINARY, ['-W', '-db', '-f', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const instance = new HaproxyInstance(child, dir, port, backend, configPath);
    await instance.waitForWorker(null);
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get adminSocket(): string {
    return join(this.dir.path, 'admin.sock');
  }

  get userSocket(): string {
    return join(this.dir.path, 'user.sock');
  }

  get serverStateFile(): string {
    return join(this.dir.path, 'server-state');
  }

  /** The weights HAProxy applies now to `versions` of the backend, read over the admin socket by an adapter of the caller's own. */
  async weightsOf(versions: readonly string[]): Promise<Record<string, number>> {
    const reader = await HaproxyRouter.connect({ socket: this.adminSocket, backend: this.backend, versions });
    try {
      return await reader.weights();
    } finally {
      await reader.close();
    }
  }

  /** What HAProxy printed so far (for failure messages). */
  get log(): string {
    return this.output;
  }

  /** Reloads as `systemctl reload haproxy` does (SIGUSR2 to the master); resolves once a new worker answers. */
  async reload(): Promise<void> {
    const before = await this.workerPid();
    const reloadsBefore = this.count('Reloading HAProxy');
    // The master handles SIGUSR2 only once its loop runs; one sent a moment earlier is dropped, so
    // signal again until the master says it is reloading.
    await waitUntil('HAProxy master reloading', () => {
      if (this.count('Reloading HAProxy') > reloadsBefore) return true;
      this.child.kill('SIGUSR2');
      return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 250));
    });
    await this.waitForWorker(before);
  }

  /** Stops HAProxy and removes its directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    this.dir.remove();
  }

  private count(line: string): number {
    return this.output.split(line).length - 1;
  }

  private async workerPid(): Promise<string> {
    const info = await new HaproxyRuntimeApi(this.adminSocket, 1_000).query('show info');
    return /^Pid: (\d+)/m.exec(info)?.[1] ?? '';
  }

  private async waitForWorker(previousPid: string | null): Promise<void> {
    await waitUntil(`HAProxy worker answering on ${this.adminSocket}`, async () => {
      if (this.child.exitCode !== null) throw new Error(`HAProxy exited (${this.child.exitCode}):\n${this.output}`);
      // "Loading success." comes from the master once the worker is up: only then is the pair ready.
      if (this.count('Loading success.') <= this.count('Reloading HAProxy')) return undefined;
      const pid = await this.workerPid();
      return pid !== '' && pid !== previousPid ? pid : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nHAProxy output:\n${this.output}`, { cause: error });
    });
  }
}
