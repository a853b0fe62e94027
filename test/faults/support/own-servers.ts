import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePorts } from '@bascule/testing';
import { Client } from 'pg';

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Runs a PostgreSQL binary as `postgres` (initdb and the server refuse root). */
function asPostgres(binary: string, args: string[]): void {
  const result = spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, binary), ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/**
 * A PostgreSQL server of the fault run's own (initdb in a temporary directory, its own port, trust
 * authentication for `root`), so that restarting it mid-backfill disturbs nothing else on the machine.
 */
export class OwnPostgres {
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const [port] = await freePorts(1);
    const dir = mkdtempSync(join(tmpdir(), 'bascule-faults-pg-'));
    chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout));
    const dataDir = join(dir, 'data');
    asPostgres('initdb', ['-D', dataDir, '-U', 'root', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    const server = new OwnPostgres(port, dataDir);
    server.pgCtl('start');
    await server.waitReady();
    return server;
  }

  url(database = 'postgres'): string {
    return `postgres://root@127.0.0.1:${this.port}/${database}`;
  }

  /** Fast shutdown (every session disconnected, as a crash-safe restart does), then start again. */
  async restart(): Promise<void> {
    this.pgCtl('restart', ['-m', 'fast']);
    await this.waitReady();
  }

  stop(): void {
    try {
      this.pgCtl('stop', ['-m', 'immediate']);
    } finally {
      rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
    }
  }

  private pgCtl(action: string, extra: string[] = []): void {
    asPostgres('pg_ctl', [action, '-D', this.dataDir, '-w', '-l', join(this.dataDir, 'server.log'), ...extra, '-o', `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`]);
  }

  private async waitReady(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const client = new Client({ connectionString: this.url() });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`the fault run's Postgres on port ${this.port} did not come up`);
  }
}

/** A nats-server with JetStream of the fault run's own: its own port and store, restartable. */
export class OwnNats {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  static async start(): Promise<OwnNats> {
    const [port] = await freePorts(1);
    const server = new OwnNats(port, mkdtempSync(join(tmpdir(), 'bascule-faults-nats-')));
    await server.launch();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** SIGTERM (JetStream flushes its store), then the same server on the same port and store. */
  async restart(): Promise<void> {
    await this.halt();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    this.process = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], { stdio: 'ignore' });
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await accepts(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the fault run's nats-server on port ${this.port} did not come up`);
  }

  private async halt(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
