import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HaproxyInstance, makeTempDir, VersionUpstreamServer } from '../testing';
import { isHaproxyBackendNotFoundError, isHaproxyPermissionDeniedError, isHaproxyServerNotFoundError, isHaproxySocketNotFoundError, isHaproxyUnreachableError, isSamplesUnavailableError } from '../errors';
import { HaproxyRouter } from './haproxy-router';

async function failure(promise: Promise<unknown>): Promise<Error & { code: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error('expected a failure');
}

describe('HaproxyRouter errors (real HAProxy 2.6)', () => {
  let haproxy: HaproxyInstance;
  let v1: VersionUpstreamServer;

  beforeAll(async () => {
    v1 = await VersionUpstreamServer.start('v1');
    haproxy = await HaproxyInstance.start({ servers: [{ version: 'v1', upstream: v1.url }, { version: 'v2', upstream: v1.url }] });
  });

  afterAll(async () => {
    await haproxy?.stop();
    await v1?.close();
  });

  it('names the backend HAProxy does not have', async () => {
    const error = await failure(HaproxyRouter.connect({ socket: haproxy.adminSocket, backend: 'shop', versions: ['v1', 'v2'] }));

    expect(isHaproxyBackendNotFoundError(error)).toBe(true);
    expect(error.code).toBe('HAPROXY_BACKEND_NOT_FOUND');
    expect(error.message).toBe(`HAProxy on ${haproxy.adminSocket} has no backend "shop": set router.backend to the name of the backend that serves this API`);
  });

  it('names the backend and the version that has no server', async () => {
    const error = await failure(HaproxyRouter.connect({ socket: haproxy.adminSocket, backend: 'app', versions: ['v1', 'v3'] }));

    expect(isHaproxyServerNotFoundError(error)).toBe(true);
    expect(error.code).toBe('HAPROXY_SERVER_NOT_FOUND');
    expect(error.message).toBe(
      `HAProxy backend "app" (socket ${haproxy.adminSocket}) has no server "v3": name each server of the backend after its version, e.g. \`server v3 <address>:<port> weight 0\``,
    );
  });

  it('says how to find the socket when nothing is at its path', async () => {
    const dir = makeTempDir();
    const socket = join(dir.path, 'missing.sock');
    const error = await failure(HaproxyRouter.connect({ socket, backend: 'app', versions: ['v1'] }));
    dir.remove();

    expect(isHaproxySocketNotFoundError(error)).toBe(true);
    expect(error.code).toBe('HAPROXY_SOCKET_NOT_FOUND');
    expect(error.message).toContain(`no HAProxy admin socket at ${socket}: start HAProxy, or point router.socket at the path`);
  });

  it('reports a path that is not a live socket as unreachable', async () => {
    const dir = makeTempDir();
    const socket = join(dir.path, 'stale.sock');
    writeFileSync(socket, '');
    const error = await failure(HaproxyRouter.connect({ socket, backend: 'app', versions: ['v1'] }));
    dir.remove();

    expect(isHaproxyUnreachableError(error)).toBe(true);
    expect(error.code).toBe('HAPROXY_UNREACHABLE');
    expect(error.message).toContain(`HAProxy did not answer \`show servers state app\` on ${socket}`);
  });

  it('refuses to change weights on a socket below level admin, and changes nothing', async () => {
    const router = await HaproxyRouter.connect({ socket: haproxy.userSocket, backend: 'app', versions: ['v1', 'v2'] });

    const error = await failure(router.setWeights({ v1: 0, v2: 100 }));
    await router.close();

    expect(isHaproxyPermissionDeniedError(error)).toBe(true);
    expect(error.code).toBe('HAPROXY_PERMISSION_DENIED');
    expect(error.message).toBe(`HAProxy refused \`set server app/v2 weight 100\` on ${haproxy.userSocket} (Permission denied): declare the socket with \`stats socket <path> level admin\``);
    expect(await router.weights()).toEqual({ v1: 100, v2: 0 });
  });

  it('refuses to drain samples without a log receiver instead of returning empty windows', async () => {
    const router = await HaproxyRouter.connect({ socket: haproxy.adminSocket, backend: 'app', versions: ['v1', 'v2'] });

    const error = await failure(router.drainSamples());
    await router.close();

    expect(isSamplesUnavailableError(error)).toBe(true);
    expect(error.code).toBe('ROUTER_SAMPLES_UNAVAILABLE');
    expect(error.message).toContain('add `log <host>:<port> local0` and `option httplog`');
  });
});
