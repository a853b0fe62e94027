import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { appendEvents, ensureEventStoreSchema, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { busTopology, type BusTopology } from '@bascule/messaging';
import { PG_POOL, serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import type { Pool } from 'pg';
import { configurePlannerHttp } from '../planner-http';
import { PlannerModule } from '../planner.module';
import { connectPlannerTransport } from '../planner.transport';

/** One planner copy booted in-process (as `main.ts` does) on a test event store and bus prefix. */
export class PlannerTestApp {
  private constructor(
    readonly app: INestApplication,
    readonly pool: Pool,
    readonly url: string,
  ) {}

  /** `BASCULE_BUS_PREFIX` must already name the test's prefix: the outbox relay reads it. */
  static async boot(storeUrl: string, topology: BusTopology = busTopology()): Promise<PlannerTestApp> {
    const config = serviceConfig('planner', 0, { BASCULE_DATABASE_URL: storeUrl });
    const moduleRef = await Test.createTestingModule({ imports: [ServiceKitModule.forService(config), PlannerModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    configurePlannerHttp(app);
    const pool = app.get<Pool>(PG_POOL);
    await ensureEventStoreSchema(pool);
    await app.init();
    await connectPlannerTransport(app, { topology });
    await app.listen(0, '127.0.0.1');
    return new PlannerTestApp(app, pool, (await app.getUrl()).replace('[::1]', '127.0.0.1'));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON bodies field by field
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; text: string; headers: Headers }> {
    const isText = typeof body === 'string';
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': isText ? 'application/yaml' : 'application/json' }), ...headers },
      body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // markdown, SSE: keep the text
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  }

  events(migrationId: string): Promise<StoredEvent[]> {
    return readStream(this.pool, migrationStreamId(migrationId));
  }

  /** Records an agent's outcome as the agent would (random id: a new fact). */
  async record(migrationId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await appendEvents(this.pool, migrationStreamId(migrationId), [{ type, data: { migrationId, ...data } }]);
  }

  /** Waits until `predicate` holds on the stream (the process manager reacts through the bus). */
  async waitFor(migrationId: string, predicate: (events: StoredEvent[]) => boolean, what: string, timeoutMs = 30_000): Promise<StoredEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = await this.events(migrationId);
      if (predicate(events)) return events;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stream: ${events.map((event) => event.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export const has = (type: string, count = 1) => (events: StoredEvent[]) => events.filter((event) => event.type === type).length >= count;
