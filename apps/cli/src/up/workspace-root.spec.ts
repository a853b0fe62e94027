import { join } from 'node:path';
import { findWorkspaceRoot } from './workspace-root';
import { WorkspaceNotFoundError } from './up.errors';

describe('findWorkspaceRoot', () => {
  it('finds this checkout from a folder deep inside it', () => {
    const root = join(__dirname, '..', '..', '..', '..');
    expect(findWorkspaceRoot(__dirname)).toBe(root);
  });

  it('says so when there is no workspace above', () => {
    expect(() => findWorkspaceRoot('/proc/self')).toThrow(WorkspaceNotFoundError);
  });
});
