import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WorkspaceNotFoundError } from './up.errors';

export const DIST_PATHS = join('tools', 'dist-paths.js');

/** The checkout this CLI was built in: the nearest directory above `from` holding tools/dist-paths.js. */
export function findWorkspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, DIST_PATHS)) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new WorkspaceNotFoundError(from);
  }
}
