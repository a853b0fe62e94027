import { readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { InvalidRouterSpecError, ServerStateNotSavedError } from '../errors';
import type { HaproxyRuntimeApi } from './runtime-api';

/**
 * Writes `show servers state` (every backend: the global file is shared by all of them) where
 * HAProxy's `load-server-state-from-file global` reads it on start and reload. Written to a
 * temporary name and renamed, so a reload racing this write reads the old file or the new one,
 * never half of one.
 */
export async function saveServerState(api: HaproxyRuntimeApi, path: string): Promise<void> {
  const state = await api.query('show servers state');
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, state);
    await rename(temporary, path);
  } catch (error) {
    throw new ServerStateNotSavedError(path, { cause: error });
  }
}

/** Keywords that open a section whatever their indentation (HAProxy does not rely on indentation). */
const SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'peers', 'resolvers', 'userlist', 'mailers', 'program', 'http-errors', 'ring', 'cache']);

/**
 * The global `server-state-file` of an HAProxy configuration, prefixed with `server-state-base`
 * when relative; null when the configuration sets none. A path still relative after that is
 * relative to HAProxy's working directory, which this process cannot know, so it is refused.
 */
export function serverStateFileOf(config: string, configPath: string): string | null {
  let section = '';
  let file: string | null = null;
  let base: string | null = null;
  for (const raw of config.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [keyword, value] = line.split(/\s+/, 2);
    if (SECTIONS.has(keyword)) section = keyword;
    else if (section === 'global' && keyword === 'server-state-file') file = value ?? null;
    else if (section === 'global' && keyword === 'server-state-base') base = value ?? null;
  }
  if (file === null) return null;
  const path = isAbsolute(file) || base === null ? file : join(base, file);
  if (!isAbsolute(path)) {
    throw new InvalidRouterSpecError('haproxy configFile', `${configPath} sets server-state-file "${path}", relative to a directory this process cannot know; make it absolute`);
  }
  return path;
}

export async function readServerStateFileOf(configPath: string): Promise<string | null> {
  let config: string;
  try {
    config = await readFile(configPath, 'utf8');
  } catch (error) {
    throw new InvalidRouterSpecError('haproxy configFile', `${configPath} cannot be read`, { cause: error });
  }
  return serverStateFileOf(config, configPath);
}
