import { Agent, request } from 'node:http';
import { HaproxyInstance, VersionUpstreamServer } from '../testing';
import { HaproxyRouter } from './haproxy-router';

describe('HaproxyRouter across an HAProxy reload', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function versionsOf(url: string, count: number): Promise<Set<string>> {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const versions = new Set<string>();
    for (let i = 0; i < count; i++) {
      versions.add(
        await new Promise<string>((resolve, reject) => {
          request(url, { agent }, (response) => {
            response.resume();
            response.on('end', () => resolve(String(response.headers['x-version'])));
          })
            .on('error', reject)
            .end();
        }),
      );
    }
    agent.destroy();
    return versions;
  }

  async function start(): Promise<HaproxyInstance> {
    const v1 = await VersionUpstreamServer.start('v1');
    const v2 = await VersionUpstreamServer.start('v2');
    cleanups.push(() => v1.close(), () => v2.close());
    // The file says 50/50: only the saved state can bring back the rollback's 100/0 after a reload.
    const haproxy = await HaproxyInstance.start({ servers: [{ version: 'v1', upstream: v1.url }, { version: 'v2', upstream: v2.url }], weights: { v1: 50, v2: 50 } });
    cleanups.push(() => haproxy.stop());
    return haproxy;
  }

  it('keeps a rollback (old 100 / new 0) when HAProxy reloads, using the config’s server-state-file', async () => {
    const haproxy = await start();
    const router = await HaproxyRouter.connect({ socket: haproxy.adminSocket, backend: haproxy.backend, versions: ['v1', 'v2'], configFile: haproxy.configPath });
    cleanups.push(() => router.close());

    await router.setWeights({ v1: 0, v2: 100 });
    await router.setWeights({ v1: 100, v2: 0 });
    await haproxy.reload();

    expect(await router.weights()).toEqual({ v1: 100, v2: 0 });
    expect(await versionsOf(haproxy.url, 20)).toEqual(new Set(['v1']));
  });

  it('loses the rollback on reload when no state file is saved (what the state file prevents)', async () => {
    const haproxy = await start();
    const router = await HaproxyRouter.connect({ socket: haproxy.adminSocket, backend: haproxy.backend, versions: ['v1', 'v2'] });
    cleanups.push(() => router.close());

    await router.setWeights({ v1: 100, v2: 0 });
    await haproxy.reload();

    expect(await router.weights()).toEqual({ v1: 50, v2: 50 });
  });
});
