import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { PlannerTestApp } from './planner-test-app';

/**
 * One planner suite's world: an event store and a target database of its own (target `app`), a
 * bus prefix, and the planner booted on them in this process. `close` undoes all of it, the bus
 * streams and the environment included.
 */
export class PlannerWorld {
  private constructor(
    readonly planner: PlannerTestApp,
    readonly store: TestDatabase,
    readonly target: TestDatabase,
    readonly prefix: string,
    private readonly nc: NatsConnection,
  ) {}

  /** `prepareTarget` gets the target's URL before the planner boots (tables to plan against). */
  static async start(name: string, prepareTarget: (url: string) => Promise<void> = async () => undefined): Promise<PlannerWorld> {
    const prefix = uniqueBusPrefix();
    process.env['BASCULE_BUS_PREFIX'] = prefix;
    const store = await createTestDatabase(`${name}_store`);
    const target = await createTestDatabase(`${name}_target`);
    process.env['BASCULE_TARGET_APP_URL'] = target.url;
    await prepareTarget(target.url);
    const planner = await PlannerTestApp.boot(store.url);
    return new PlannerWorld(planner, store, target, prefix, await connectTestNats());
  }

  async close(): Promise<void> {
    await this.planner.close();
    await deleteStreams(this.nc, this.prefix);
    await this.nc.close();
    delete process.env['BASCULE_TARGET_APP_URL'];
    delete process.env['BASCULE_BUS_PREFIX'];
    await this.store.drop();
    await this.target.drop();
  }
}
