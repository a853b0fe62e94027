import 'reflect-metadata';
import { Controller, type INestMicroservice } from '@nestjs/common';
import { Ctx } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { DeadLetter } from '@bascule/contracts';
import { connectTestNats, deleteStreams, uniqueBusPrefix } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { BusClient } from '../client/bus.client';
import type { DeadLetterSink } from '../dead-letter/dead-letter-sink';
import { CommandHandler } from '../handlers/bus-handler.decorators';
import { JetStreamServer } from '../server/jetstream.server';
import type { JetStreamContext } from '../server/jetstream.context';
import { busTopology } from '../topology';

const topology = busTopology(uniqueBusPrefix(), ['ok', 'flaky', 'doomed', 'held']);
const letters: DeadLetter[] = [];
const sink: DeadLetterSink = { record: async (letter) => void letters.push(letter) };
let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));

@Controller()
class Handlers {
  @CommandHandler('ok') ok() {
    // Succeeds: the message is acked.
  }

  @CommandHandler('flaky') flaky(@Ctx() ctx: JetStreamContext) {
    if (ctx.getDeliveryCount() === 1) throw new Error('first delivery fails');
  }

  @CommandHandler('doomed') doomed() {
    throw new Error('always fails');
  }

  @CommandHandler('held') held() {
    return held;
  }
}

async function eventually(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('consumer metrics (JetStreamServer with a registry, real NATS)', () => {
  const registry = new Registry();
  let app: INestMicroservice;
  let nc: NatsConnection;
  let client: BusClient;

  /** The value of one series on `/metrics`, 0 when it is not there yet. */
  async function value(name: string, labels: Record<string, string>): Promise<number> {
    // A histogram's `_count` is a value of the histogram's own entry.
    const metric = (await registry.getMetricsAsJSON()).find((candidate) => name === candidate.name || name === `${candidate.name}_count`);
    const series = metric?.values.find(
      (entry) => ((entry as { metricName?: string }).metricName ?? metric.name) === name && Object.entries(labels).every(([key, wanted]) => entry.labels[key] === wanted),
    );
    return series?.value ?? 0;
  }

  beforeAll(async () => {
    nc = await connectTestNats();
    client = BusClient.using(nc, topology);
    const module = await Test.createTestingModule({ controllers: [Handlers] }).compile();
    const strategy = new JetStreamServer({ serviceName: 'metered', topology, maxDeliver: 2, backoff: [50], fetchExpiresMs: 1_000, deadLetters: sink, metrics: registry });
    app = module.createNestMicroservice({ strategy, logger: false });
    await app.listen();
  });

  afterAll(async () => {
    release();
    await app.close();
    await deleteStreams(nc, topology.prefix);
    await nc.drain();
  });

  it('counts and times a handled message under its consumer', async () => {
    await client.sendCommand('ok', {});
    await eventually(async () => (await value('bascule_messages_handled_total', { consumer: 'cmd-ok', outcome: 'acked' })) === 1, 'the ok command');
    expect(await value('bascule_message_handling_seconds_count', { consumer: 'cmd-ok' })).toBe(1);
    expect(await value('bascule_consumer_redeliveries_total', { consumer: 'cmd-ok' })).toBe(0);
  });

  it('counts a retry and the redelivery that follows it', async () => {
    await client.sendCommand('flaky', {});
    await eventually(async () => (await value('bascule_messages_handled_total', { consumer: 'cmd-flaky', outcome: 'acked' })) === 1, 'the flaky command');
    expect(await value('bascule_messages_handled_total', { consumer: 'cmd-flaky', outcome: 'retry' })).toBe(1);
    expect(await value('bascule_consumer_redeliveries_total', { consumer: 'cmd-flaky' })).toBe(1);
    expect(await value('bascule_dead_letters_total', { consumer: 'cmd-flaky' })).toBe(0);
  });

  it('counts a dead letter once the deliveries run out', async () => {
    const sent = await client.sendCommand('doomed', {});
    await eventually(async () => letters.some((letter) => letter.messageId === sent.commandId), 'the dead letter');
    expect(await value('bascule_dead_letters_total', { consumer: 'cmd-doomed' })).toBe(1);
    expect(await value('bascule_messages_handled_total', { consumer: 'cmd-doomed', outcome: 'dead-lettered' })).toBe(1);
    expect(await value('bascule_consumer_redeliveries_total', { consumer: 'cmd-doomed' })).toBe(1);
  });

  it('reads the messages waiting on the server at scrape time', async () => {
    for (let n = 0; n < 4; n++) await client.sendCommand('held', { n });
    // One is being handled (held), the other three wait on the server.
    await eventually(async () => (await value('bascule_consumer_pending_messages', { consumer: 'cmd-held' })) === 3, 'three pending');
    release();
    await eventually(async () => (await value('bascule_consumer_pending_messages', { consumer: 'cmd-held' })) === 0, 'nothing pending');
    expect(await value('bascule_messages_handled_total', { consumer: 'cmd-held', outcome: 'acked' })).toBe(4);
  });
});
