import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { parseLogSeal, sealLog, type LogSeal } from './log-seal';

const SEAL_FILE = /^seal-\d{8}T\d{6}\d{3}Z\.json$/;

/** `seal-20261207T093012345Z.json`: names sort in time order. */
function fileNameOf(seal: LogSeal): string {
  return `seal-${seal.sealedAt.replace(/[-:.]/g, '')}.json`;
}

/** The newest seal in `dir`, or null when it holds none. */
export function latestSeal(dir: string): LogSeal | null {
  const newest = readdirSync(dir).filter((name) => SEAL_FILE.test(name)).sort().at(-1);
  return newest ? parseLogSeal(readFileSync(join(dir, newest), 'utf8'), join(dir, newest)) : null;
}

/**
 * Seals the log and writes the seal into `dir`, chained to the newest seal already there; written
 * to a temporary name first, so a reader never sees half a seal. Returns the seal and its path.
 */
export async function sealIntoDirectory(pool: Pool, dir: string, now = new Date()): Promise<{ seal: LogSeal; path: string }> {
  const seal = await sealLog(pool, latestSeal(dir), now);
  const path = join(dir, fileNameOf(seal));
  writeFileSync(`${path}.partial`, `${JSON.stringify(seal, null, 2)}\n`);
  renameSync(`${path}.partial`, path);
  return { seal, path };
}
