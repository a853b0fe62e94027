import { freePorts } from '@bascule/testing';
import { HaproxyInstance, VersionUpstreamServer } from './testing';
import { createRouterAdapter } from './create-router-adapter';
import { isInvalidRouterSpecError } from './errors';

async function refusal(spec: unknown, versions: Array<{ version: string; upstream: string }>): Promise<Error & { code: string }> {
  try {
    const adapter = await createRouterAdapter(spec, versions);
    await adapter.close();
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error('expected the spec to be refused');
}

describe('createRouterAdapter', () => {
  let v1: VersionUpstreamServer;
  let v2: VersionUpstreamServer;

  beforeAll(async () => {
    v1 = await VersionUpstreamServer.start('v1');
    v2 = await VersionUpstreamServer.start('v2');
  });

  afterAll(async () => {
    await v1.close();
    await v2.close();
  });

  it('starts an embedded router from `{kind: embedded, listen}` that routes by the given shares', async () => {
    const [port] = await freePorts(1);
    const adapter = await createRouterAdapter({ kind: 'embedded', listen: `127.0.0.1:${port}` }, [
      { version: 'v1', upstream: v1.url },
      { version: 'v2', upstream: v2.url },
    ]);
    try {
      expect(adapter.kind).toBe('embedded');
      expect(await adapter.weights()).toEqual({ v1: 100, v2: 0 });
      await adapter.setWeights({ v2: 100 });
      const answer = await fetch(`http://127.0.0.1:${port}/`);
      expect(answer.headers.get('x-version')).toBe('v2');
    } finally {
      await adapter.close();
    }
  });

  it('connects to HAProxy from `{kind: haproxy, socket, backend}`', async () => {
    const haproxy = await HaproxyInstance.start({ servers: [{ version: 'v1', upstream: v1.url }, { version: 'v2', upstream: v2.url }] });
    try {
      const adapter = await createRouterAdapter({ kind: 'haproxy', socket: haproxy.adminSocket, backend: haproxy.backend }, [
        { version: 'v1', upstream: v1.url },
        { version: 'v2', upstream: v2.url },
      ]);
      expect(adapter.kind).toBe('haproxy');
      await adapter.setWeights({ v1: 25, v2: 75 });
      expect(await adapter.weights()).toEqual({ v1: 25, v2: 75 });
      await adapter.close();
    } finally {
      await haproxy.stop();
    }
  });

  it.each([
    [{ kind: 'nginx', listen: '127.0.0.1:1' }, [{ version: 'v1', upstream: 'http://127.0.0.1:1' }], 'router spec: router.kind'],
    [{ kind: 'haproxy', socket: '/run/haproxy.sock' }, [{ version: 'v1', upstream: 'http://127.0.0.1:1' }], 'router spec: router.backend'],
    [{ kind: 'embedded', listen: '8080' }, [{ version: 'v1', upstream: 'http://127.0.0.1:1' }], 'router spec: router.listen is "8080", expected host:port'],
    [{ kind: 'embedded', listen: '127.0.0.1:0' }, [{ version: 'v1', upstream: 'http://127.0.0.1:1/api' }], 'router spec: versions.0.upstream must be an origin'],
    [{ kind: 'embedded', listen: '127.0.0.1:0' }, [{ version: 'v1', upstream: 'ftp://127.0.0.1:1' }], 'router spec: versions.0.upstream'],
    [
      { kind: 'embedded', listen: '127.0.0.1:0' },
      [
        { version: 'v1', upstream: 'http://127.0.0.1:1' },
        { version: 'v1', upstream: 'http://127.0.0.1:2' },
      ],
      'router spec: versions name "v1" twice',
    ],
    [{ kind: 'haproxy', socket: '/run/haproxy.sock', backend: 'app;shutdown' }, [{ version: 'v1', upstream: 'http://127.0.0.1:1' }], 'router spec: router.backend "app;shutdown" is not an HAProxy name'],
  ])('refuses %j with versions %j before touching any router', async (spec, versions, message) => {
    const error = await refusal(spec, versions);

    expect(isInvalidRouterSpecError(error)).toBe(true);
    expect(error.code).toBe('INVALID_ROUTER_SPEC');
    expect(error.message).toContain(message);
  });
});
