import { COMMAND_NAMES } from '@bascule/contracts';
import { connectTestNats, deleteStreams, uniqueBusPrefix } from '@bascule/testing';
import { DiscardPolicy, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import { ensureStreams } from './streams';
import { busTopology } from './topology';

describe('streams (real NATS)', () => {
  let nc: NatsConnection;
  const prefixes: string[] = [];

  beforeAll(async () => {
    nc = await connectTestNats();
  });

  afterAll(async () => {
    for (const prefix of prefixes) await deleteStreams(nc, prefix);
    await nc.drain();
  });

  function topology() {
    const prefix = uniqueBusPrefix();
    prefixes.push(prefix);
    return busTopology(prefix);
  }

  it('accepts a catalogued command and refuses a command subject nobody handles, storing nothing', async () => {
    const bus = topology();
    const jsm = await nc.jetstreamManager();
    await ensureStreams(jsm, bus);
    const js = nc.jetstream();
    await js.publish(bus.commandSubject('rollback'), JSON.stringify({ migrationId: 'm', reason: 'r', requestedBy: 'me' }));
    await expect(js.publish(bus.commandSubject('junk.forever'), 'x'.repeat(1000))).rejects.toThrow(/no responders|503/i);
    const info = await jsm.streams.info(bus.commandsStream);
    expect(info.state.messages).toBe(1);
  });

  it('bounds both streams by age and size; a full command queue refuses new commands instead of dropping queued ones', async () => {
    const bus = topology();
    const jsm = await nc.jetstreamManager();
    await ensureStreams(jsm, bus);
    const events = (await jsm.streams.info(bus.eventsStream)).config;
    const commands = (await jsm.streams.info(bus.commandsStream)).config;
    expect(events).toMatchObject({ discard: DiscardPolicy.Old, max_bytes: 2048 * 1024 * 1024 });
    expect(events.max_age).toBeGreaterThan(0);
    expect(commands).toMatchObject({ discard: DiscardPolicy.New, max_bytes: 256 * 1024 * 1024, max_msg_size: 1024 * 1024 });
    expect(commands.max_age).toBeGreaterThan(0);
    expect([...commands.subjects].sort()).toEqual(COMMAND_NAMES.map((name) => bus.commandSubject(name)).sort());
  });

  it('brings a stream made by an earlier version (every cmd.* subject, no limits) to this configuration', async () => {
    const bus = topology();
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: bus.commandsStream, subjects: [bus.commandsFilter], retention: RetentionPolicy.Workqueue, storage: StorageType.File, discard: DiscardPolicy.Old });
    await jsm.streams.add({ name: bus.eventsStream, subjects: [bus.eventsFilter], retention: RetentionPolicy.Limits, storage: StorageType.File, discard: DiscardPolicy.Old });
    await ensureStreams(jsm, bus);
    const commands = (await jsm.streams.info(bus.commandsStream)).config;
    expect(commands).toMatchObject({ discard: DiscardPolicy.New, max_msg_size: 1024 * 1024 });
    expect(commands.subjects).not.toContain(bus.commandsFilter);
  });
});
