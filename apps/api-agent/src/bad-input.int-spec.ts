import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { ApiStepBody, ApiStepFailed, MessageData } from '@bascule/contracts';
import { makeTempDir, VersionUpstreamServer } from '@bascule/api-router/testing';
import { waitFor } from '@bascule/plan-binding/testing';
import { freePorts } from '@bascule/testing';
import { ApiAgentHarness, dataOf } from './testing/api-agent-harness';
import { requestsThrough } from './testing/router-clients';
import { shopDocument } from './testing/shop-documents';
import type { z } from 'zod';

jest.setTimeout(60_000);

type Failed = MessageData<typeof ApiStepFailed>;
type ApiStepInput = z.input<typeof ApiStepBody>;

describe('api-agent (real Postgres and NATS): a step that cannot run fails clearly and moves nothing', () => {
  let harness: ApiAgentHarness;
  let v1: VersionUpstreamServer;
  let v2: VersionUpstreamServer;

  beforeEach(async () => {
    harness = await ApiAgentHarness.start();
    v1 = await VersionUpstreamServer.start('v1');
    v2 = await VersionUpstreamServer.start('v2');
  });

  afterEach(async () => {
    await harness?.stop();
    await v1?.close();
    await v2?.close();
  });

  function body(listen: string, overrides: Partial<ApiStepInput> = {}): ApiStepInput {
    return {
      service: 'shop',
      router: { kind: 'embedded', listen },
      from: { version: 'v1', upstream: v1.url, openapi: shopDocument('1.0') },
      to: { version: 'v2', upstream: v2.url, openapi: shopDocument('1.0') },
      canary: { steps: [50, 100], interval: '1s' },
      ...overrides,
    };
  }

  /** Starts the step and returns the agent's events once it failed; none of them moved traffic. */
  async function failureOf(migration: Awaited<ReturnType<ApiAgentHarness['plan']>>): Promise<Failed> {
    await harness.startStep(migration);
    const events = await harness.waitForEvent(migration, 'ApiStepFailed', 30_000);
    expect(events.map((event) => event.type)).toEqual(['ApiStepFailed']);
    return dataOf<Failed>(events, 'ApiStepFailed')[0];
  }

  async function refusesConnections(port: number): Promise<boolean> {
    const [result] = await requestsThrough(`http://127.0.0.1:${port}`, 1, 1);
    return result.status === 0 && /ECONNREFUSED/.test(result.error ?? '');
  }

  it('an unknown router kind: INVALID_API_STEP naming the field', async () => {
    const migration = await harness.planUnchecked({ ...body('127.0.0.1:1'), router: { kind: 'nginx', listen: '127.0.0.1:1' } });
    const failed = await failureOf(migration);
    expect(failed).toMatchObject({ phase: 'canary', code: 'INVALID_API_STEP', shares: null });
    expect(failed.message).toMatch(/api\.router.*embedded or haproxy/);
  });

  it('an upstream the router cannot use: INVALID_ROUTER_SPEC, and nothing listens', async () => {
    const [port] = await freePorts(1);
    const migration = await harness.plan(body(`127.0.0.1:${port}`, { to: { version: 'v2', upstream: `${v2.url}/api`, openapi: shopDocument('1.0') } }));
    const failed = await failureOf(migration);
    expect(failed).toMatchObject({ code: 'INVALID_ROUTER_SPEC', shares: null });
    expect(failed.message).toMatch(/versions\.1\.upstream must be an origin/);
    expect(await refusesConnections(port)).toBe(true);
  });

  it('a listen address another process holds: ROUTER_NOT_STARTED naming it', async () => {
    const [port] = await freePorts(1);
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const failed = await failureOf(await harness.plan(body(`127.0.0.1:${port}`)));
      expect(failed).toMatchObject({ code: 'ROUTER_NOT_STARTED', shares: null });
      expect(failed.message).toContain(`could not start the embedded router on 127.0.0.1:${port} (EADDRINUSE`);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('an invalid OpenAPI document of the new version: refused before the router starts', async () => {
    const [port] = await freePorts(1);
    const migration = await harness.planUnchecked({ ...body(`127.0.0.1:${port}`), to: { version: 'v2', upstream: v2.url, openapi: { openapi: '3.0.3', paths: {} } } });
    const failed = await failureOf(migration);
    expect(failed).toMatchObject({ code: 'INVALID_OPENAPI', shares: null });
    expect(failed.message).toMatch(/to \(v2\)/);
    expect(await refusesConnections(port)).toBe(true);
  });

  it('an HAProxy socket nobody answers on: HAPROXY_SOCKET_NOT_FOUND, and its rollback fails the same way', async () => {
    const dir = makeTempDir('bascule-api-agent-');
    try {
      const socket = join(dir.path, 'admin.sock');
      const migration = await harness.plan(body('unused:1', { router: { kind: 'haproxy', socket, backend: 'shop' } }));
      const failed = await failureOf(migration);
      expect(failed).toMatchObject({ code: 'HAPROXY_SOCKET_NOT_FOUND', shares: null });
      expect(failed.message).toContain(`no HAProxy admin socket at ${socket}`);

      await harness.rollBack(migration);
      const failures = await waitFor('the rollback failure', async () => {
        const all = dataOf<Failed>(await migration.agentEvents(), 'ApiStepFailed');
        return all.length === 2 ? all : undefined;
      });
      expect(failures[1]).toMatchObject({ phase: 'rollback', code: 'HAPROXY_SOCKET_NOT_FOUND', shares: null });
    } finally {
      dir.remove();
    }
  });
});
