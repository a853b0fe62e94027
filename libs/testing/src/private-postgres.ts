import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from './ports';

const run = promisify(execFile);
const BIN = process.env.BASCULE_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  /** `postgres://root@127.0.0.1:<port>/postgres` (trust auth, superuser `root`). */
  url: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (initdb in a temporary directory, its own port), for what
 * the shared server cannot be changed for at run time: `shared_preload_libraries` needs a restart.
 * Runs as the OS user `postgres` (initdb refuses root), so the test process must be root or that user.
 */
export async function startPrivatePostgres(settings: Record<string, string> = {}): Promise<PrivatePostgres> {
  const [port] = await freePorts(1);
  const dir = mkdtempSync(join(tmpdir(), 'bascule-pg-'));
  const data = join(dir, 'data');
  const asPostgres = (command: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args], { timeout: 60_000 });
  try {
    const { uid, gid } = await postgresUser();
    chownSync(dir, uid, gid);
    await asPostgres('initdb', ['-D', data, '-U', 'root', '-A', 'trust', '--no-sync']);
    const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", '-c fsync=off', ...Object.entries(settings).map(([key, value]) => `-c ${key}=${value}`)];
    await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', options.join(' '), 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a private PostgreSQL from ${BIN} as OS user postgres: ${(error as Error).message}`, { cause: error });
  }
  return {
    url: `postgres://root@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
