import { errorInReply, errorInSilentReply } from './runtime-replies';

const SOCKET = '/run/haproxy/admin.sock';

describe('errorInReply', () => {
  it.each([
    ['set server app/v9 weight 10', 'No such server.\n\n', 'HAPROXY_SERVER_NOT_FOUND', 'HAProxy backend "app" (socket /run/haproxy/admin.sock) has no server "v9"'],
    ['set server web/v1 weight 10', 'No such backend.\n\n', 'HAPROXY_BACKEND_NOT_FOUND', 'has no backend "web"'],
    ['show servers state web', "Can't find backend.\n\n", 'HAPROXY_BACKEND_NOT_FOUND', 'has no backend "web"'],
    ['show stat web 4 -1', 'No such proxy.\n\n', 'HAPROXY_BACKEND_NOT_FOUND', 'has no backend "web"'],
    ['show servers state', 'Unknown command, but maybe one of the following ones is a better match:\n  help\n', 'HAPROXY_UNKNOWN_COMMAND', 'does not know `show servers state`'],
    ['set server app/v1 weight 10', 'Permission denied\n\n', 'HAPROXY_PERMISSION_DENIED', 'stats socket <path> level admin'],
  ])('maps the answer to `%s` to a typed error', (command, reply, code, message) => {
    const error = errorInReply(SOCKET, command, reply) as Error & { code: string };
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('is null for data', () => {
    expect(errorInReply(SOCKET, 'show servers state app', '1\n# be_id be_name\n3 app\n\n')).toBeNull();
  });
});

describe('errorInSilentReply', () => {
  it('treats any text as a rejection, keeping HAProxy’s words', () => {
    const error = errorInSilentReply(SOCKET, 'set server app/v1 weight 300', 'Absolute weight can only be between 0 and 256 inclusive.\n\n') as Error & { code: string };
    expect(error.code).toBe('HAPROXY_COMMAND_REJECTED');
    expect(error.message).toContain('rejected `set server app/v1 weight 300`: Absolute weight can only be between 0 and 256 inclusive.');
    expect(errorInSilentReply(SOCKET, 'set server app/v1 weight 30', '\n')).toBeNull();
  });
});
