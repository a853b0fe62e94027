import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Counter, type Registry } from 'prom-client';
import type { ServiceConfig } from '../config/service-config';
import { JsonLogger } from '../logging/json-logger';
import { METRICS_REGISTRY } from '../service-kit.constants';
import { ServiceKitModule } from '../service-kit.module';
import { checkNats } from '../startup/dependency-check';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

async function serve(config: ServiceConfig): Promise<{ app: INestApplication; url: string }> {
  @Module({})
  class EmptyServiceModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ServiceKitModule.forService(config), EmptyServiceModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: new JsonLogger(config.name, () => undefined) });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A NATS server of this test's own, so it can be killed without touching anyone else's. */
async function startOwnNats(): Promise<{ url: string; server: ChildProcess; storeDir: string }> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'sk-nats-'));
  const server = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
  const url = `nats://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await checkNats(url)) === undefined) return { url, server, storeDir };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server.kill('SIGKILL');
  throw new Error(`nats-server on ${url} did not start`);
}

describe('GET /health and /metrics (real Postgres and NATS)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('sk_health');
  });

  afterAll(async () => {
    await db.drop();
  });

  it('answers 200 with postgres and nats up, and serves the service metrics', async () => {
    const { app, url } = await serve({ name: 'monitor', port: 0, host: '127.0.0.1', databaseUrl: db.url, natsUrl: NATS_URL });
    try {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, nats: { status: 'up' } } });

      // Another module adds its own metric to the shared registry; /metrics shows it.
      const registry = app.get<Registry>(METRICS_REGISTRY);
      new Counter({ name: 'bascule_test_things_total', help: 'things', registers: [registry] }).inc(3);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const text = await metrics.text();
      expect(text).toContain('bascule_service_info{service="monitor"} 1');
      expect(text).toContain('bascule_test_things_total 3');
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming postgres when the database cannot be reached', async () => {
    const { app, url } = await serve({ name: 'planner', port: 0, host: '127.0.0.1', databaseUrl: 'postgres://root@127.0.0.1:1/bascule', natsUrl: NATS_URL });
    try {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'error', error: { postgres: { status: 'down' } }, info: { nats: { status: 'up' } } });
    } finally {
      await app.close();
    }
  });

  it('turns 503 naming nats once the NATS server goes away', async () => {
    const nats = await startOwnNats();
    const { app, url } = await serve({ name: 'schema-agent', port: 0, host: '127.0.0.1', databaseUrl: db.url, natsUrl: nats.url });
    try {
      expect((await fetch(`${url}/health`)).status).toBe(200);
      nats.server.kill('SIGKILL');
      let body: unknown;
      let status = 200;
      for (let attempt = 0; attempt < 50 && status === 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const health = await fetch(`${url}/health`);
        status = health.status;
        body = await health.json();
      }
      expect(status).toBe(503);
      expect(body).toMatchObject({ error: { nats: { status: 'down' } }, info: { postgres: { status: 'up' } } });
    } finally {
      nats.server.kill('SIGKILL');
      await app.close();
      rmSync(nats.storeDir, { recursive: true, force: true });
    }
  });
});
