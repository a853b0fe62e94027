import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MigrationStep, RollbackApiStep, RunApiStep, type MessageData } from '@bascule/contracts';
import { appendEvents, ensureEventStoreSchema, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import { compensationCommand, compensationFor, foldMigration } from '@bascule/orchestration';
import { RecordedMigration, waitFor } from '@bascule/plan-binding/testing';
import { serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, uniqueName, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Pool } from 'pg';
import type { z } from 'zod';
import { ApiAgentModule } from '../api-agent.module';
import { connectApiAgentTransport } from '../api-agent.transport';

export const STEP_ID = 'shop-v2';

/**
 * One test's world: its own event-store database, bus prefix and api-agent app (in this process,
 * on real Postgres and NATS), and helpers that record a migration as the planner and the
 * rollback-manager would and send their commands over the bus.
 */
export class ApiAgentHarness {
  app: INestApplication | undefined;

  private constructor(
    private readonly store: TestDatabase,
    readonly pool: Pool,
    private readonly nc: NatsConnection,
    readonly bus: BusClient,
    private readonly prefix: string,
    private readonly env: Record<string, string>,
  ) {}

  /** `env`: the api-agent's own settings (BASCULE_API_HAPROXY_*), set while the harness lives. */
  static async start(env: Record<string, string> = {}): Promise<ApiAgentHarness> {
    const store = await createTestDatabase('api_agent');
    const prefix = uniqueBusPrefix();
    const pool = new Pool({ connectionString: store.url, max: 3 });
    await ensureEventStoreSchema(pool);
    const nc = await connectTestNats();
    const harness = new ApiAgentHarness(store, pool, nc, BusClient.using(nc, busTopology(prefix)), prefix, env);
    harness.app = await harness.startAgent();
    return harness;
  }

  /** A new api-agent on the same database and bus, as after a restart (the previous one must be stopped). */
  async startAgent(): Promise<INestApplication> {
    // wakeRelay and the outbox relay read the bus prefix from the environment.
    Object.assign(process.env, { BASCULE_BUS_PREFIX: this.prefix, ...this.env });
    const config = serviceConfig('api-agent', 0, { BASCULE_DATABASE_URL: this.store.url });
    const moduleRef = await Test.createTestingModule({ imports: [ServiceKitModule.forService(config), ApiAgentModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await app.init();
    await connectApiAgentTransport(app, { topology: busTopology(this.prefix) });
    this.app = app;
    return app;
  }

  /** The running api-agent. */
  get agent(): INestApplication {
    return defined(this.app, 'a running api-agent');
  }

  async stopAgent(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  async stop(): Promise<void> {
    await this.stopAgent();
    await deleteStreams(this.nc, this.prefix).catch(() => undefined);
    await this.nc.close();
    await this.pool.end();
    await this.store.drop();
    for (const name of ['BASCULE_BUS_PREFIX', ...Object.keys(this.env)]) delete process.env[name];
  }

  /** A started migration with one api step (its body parsed as the planner stores it). */
  async plan(api: z.input<typeof MigrationStep>['api']): Promise<RecordedMigration> {
    const step = MigrationStep.parse({ id: STEP_ID, api });
    return RecordedMigration.plan(this.pool, uniqueName('api'), 'app', [step]);
  }

  /** The same, with the body stored as given: what a spec that never went through the planner's validation would hold. */
  async planUnchecked(api: Record<string, unknown>): Promise<RecordedMigration> {
    return RecordedMigration.plan(this.pool, uniqueName('api'), 'app', [{ id: STEP_ID, api } as z.input<typeof MigrationStep>]);
  }

  /** StepDispatched, then `api.start` over the bus, as the planner's process manager sends it. */
  async startStep(migration: RecordedMigration): Promise<void> {
    const payload = await migration.dispatch(STEP_ID);
    await this.bus.sendCommand(RunApiStep, payload as MessageData<typeof RunApiStep>);
  }

  /** RollbackStarted with the compensations the rollback-manager computes, then its `api.rollback` over the bus. */
  async rollBack(migration: RecordedMigration): Promise<MessageData<typeof RollbackApiStep>> {
    const state = foldMigration(await this.events(migration));
    const compensation = compensationFor(state);
    await appendEvents(this.pool, migrationStreamId(migration.migrationId), [
      {
        type: 'RollbackStarted',
        data: { migrationId: migration.migrationId, trigger: 'on-call', reason: 'test', requestedBy: 'test', receivedAt: new Date().toISOString(), compensation },
        metadata: { recordedBy: 'RecordedMigration' },
      },
    ]);
    const api = compensation.find((entry) => entry.stepId === STEP_ID);
    if (!api) throw new Error(`the rollback does not compensate ${STEP_ID}: ${JSON.stringify(compensation)}`);
    const payload = compensationCommand(state, api).payload as MessageData<typeof RollbackApiStep>;
    await this.bus.sendCommand(RollbackApiStep, payload);
    return payload;
  }

  events(migration: RecordedMigration): Promise<StoredEvent[]> {
    return readStream(this.pool, migrationStreamId(migration.migrationId));
  }

  /** The api-agent's events once one of `type` is among them. */
  async waitForEvent(migration: RecordedMigration, type: string, timeoutMs = 60_000): Promise<StoredEvent[]> {
    return waitFor(
      `${type} in ${migration.migrationId}`,
      async () => {
        const events = await migration.agentEvents();
        return events.some((event) => event.type === type) ? events : undefined;
      },
      timeoutMs,
    );
  }
}

/** `value`, or a failed test naming `what` when it is missing. */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}`);
  return value;
}

/** The data of the agent's events of one type, in order. */
export function dataOf<T>(events: StoredEvent[], type: string): T[] {
  return events.filter((event) => event.type === type).map((event) => event.data as T);
}
