import { randomInt } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test ports come from below Linux's ephemeral range (32768–60999 by default), where the kernel
 * never hands one out as the local port of an outgoing connection or to a `listen(0)`. Each port
 * is claimed with a lock file (created O_EXCL, holding the claimer's pid) before it is probed, so
 * two test processes running at once (jest workers, two checkouts) never get the same port: a port
 * probed free and then closed used to be picked again by another process before its service bound
 * it, and a test then talked to another test's service.
 */
const FIRST_PORT = 20_000;
const LAST_PORT = 32_000;
const CLAIMS_DIR = join(tmpdir(), 'bascule-test-ports');
const claimed = new Set<number>();

/** Ports free on 127.0.0.1 and claimed by this process until it exits, so they are nobody else's. */
export async function freePorts(count: number): Promise<number[]> {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > 10_000) throw new Error(`no ${count} free ports between ${FIRST_PORT} and ${LAST_PORT}`);
    const port = randomInt(FIRST_PORT, LAST_PORT + 1);
    if (claimed.has(port) || !claim(port)) continue;
    if (await bindable(port)) ports.push(port);
  }
  return ports;
}

/** True when this process now holds the port's claim: a fresh one, or one whose holder is dead. */
function claim(port: number): boolean {
  const path = join(CLAIMS_DIR, String(port));
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      claimed.add(port);
      if (claimed.size === 1) process.once('exit', releaseAll);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || holderAlive(path)) return false;
      try {
        unlinkSync(path);
      } catch {
        return false;
      }
    }
  }
  return false;
}

function holderAlive(path: string): boolean {
  const pid = Number(readFileSync(path, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseAll(): void {
  for (const port of claimed) {
    try {
      unlinkSync(join(CLAIMS_DIR, String(port)));
    } catch {
      // already gone
    }
  }
}

async function bindable(port: number): Promise<boolean> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (bound) await new Promise((resolve) => server.close(resolve));
  return bound;
}
