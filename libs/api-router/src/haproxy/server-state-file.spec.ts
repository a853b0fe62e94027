import { isInvalidRouterSpecError } from '../errors';
import { serverStateFileOf } from './server-state-file';

describe('serverStateFileOf', () => {
  it('finds the global server-state-file', () => {
    const config = 'global\n  stats socket /run/haproxy.sock level admin\n  server-state-file /var/lib/haproxy/state # kept across reloads\ndefaults\n  mode http\n';
    expect(serverStateFileOf(config, '/etc/haproxy/haproxy.cfg')).toBe('/var/lib/haproxy/state');
  });

  it('prefixes a relative name with server-state-base', () => {
    const config = 'global\n  server-state-base /var/state/haproxy\n  server-state-file global\n';
    expect(serverStateFileOf(config, '/etc/haproxy/haproxy.cfg')).toBe('/var/state/haproxy/global');
  });

  it('ignores the keyword outside the global section and is null without it', () => {
    expect(serverStateFileOf('global\n  maxconn 10\nbackend app\n  server-state-file-name app\n', '/x.cfg')).toBeNull();
  });

  it('refuses a path relative to an unknown working directory', () => {
    let caught: unknown;
    try {
      serverStateFileOf('global\n  server-state-file state\n', '/etc/haproxy/haproxy.cfg');
    } catch (error) {
      caught = error;
    }
    expect(isInvalidRouterSpecError(caught)).toBe(true);
    expect((caught as Error).message).toContain('sets server-state-file "state", relative to a directory this process cannot know');
  });
});
