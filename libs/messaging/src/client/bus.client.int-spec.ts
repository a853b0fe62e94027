import { defineCommand } from '@bascule/contracts';
import { connectTestNats, deleteStreams, uniqueBusPrefix } from '@bascule/testing';
import type { JetStreamManager, NatsConnection } from 'nats';
import { z } from 'zod';
import { CommandNotAcceptedError } from '../errors/command-not-accepted.error';
import { InvalidPayloadError } from '../errors/invalid-payload.error';
import { METADATA_HEADER } from '../server/message-headers';
import { ensureStreams } from '../streams';
import { busTopology } from '../topology';
import { BusClient } from './bus.client';

const Rollback = defineCommand('rollback', 1, z.object({ migrationId: z.string().min(1), reason: z.string(), requestedBy: z.string() }));

describe('BusClient (real NATS)', () => {
  const topology = busTopology(uniqueBusPrefix());
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let client: BusClient;

  beforeAll(async () => {
    nc = await connectTestNats();
    jsm = await nc.jetstreamManager();
    await ensureStreams(jsm, topology);
    client = BusClient.using(nc, topology);
  });

  afterAll(async () => {
    await deleteStreams(nc, topology.prefix);
    await nc.drain();
  });

  it('queues the plain JSON payload with the command id as Nats-Msg-Id and the metadata in a header', async () => {
    const payload = { migrationId: 'm-1', reason: 'errors up', requestedBy: 'ana' };
    const sent = await client.sendCommand(Rollback, payload, { commandId: 'cmd-1', metadata: { correlationId: 'm-1', actor: 'ana' } });
    expect(sent).toMatchObject({ commandId: 'cmd-1', subject: topology.commandSubject('rollback'), duplicate: false });
    const stored = await jsm.streams.getMessage(topology.commandsStream, { seq: sent.streamSequence });
    expect(stored.json()).toEqual(payload);
    expect(stored.header.get('Nats-Msg-Id')).toBe('cmd-1');
    expect(JSON.parse(stored.header.get(METADATA_HEADER))).toEqual({ correlationId: 'm-1', actor: 'ana' });
  });

  it('lets the stream drop a re-send of the same command id', async () => {
    const again = await client.sendCommand('rollback', { migrationId: 'm-1', reason: 'errors up', requestedBy: 'ana' }, { commandId: 'cmd-1' });
    expect(again.duplicate).toBe(true);
    const info = await jsm.streams.info(topology.commandsStream);
    expect(info.state.messages).toBe(1);
  });

  it('refuses a payload that fails the command’s contract, sending nothing', async () => {
    const error = await client.sendCommand(Rollback, { migrationId: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).code).toBe('invalid_payload');
    expect((error as InvalidPayloadError).message).toMatch(/migrationId/);
    expect((await jsm.streams.info(topology.commandsStream)).state.messages).toBe(1);
  });

  it('reports a command no stream stored as not accepted', async () => {
    const nowhere = BusClient.using(nc, busTopology(uniqueBusPrefix()));
    const error = await nowhere.sendCommand('rollback', {}, { commandId: 'cmd-lost', timeoutMs: 1_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommandNotAcceptedError);
    expect((error as CommandNotAcceptedError).message).toMatch(/cmd-lost.*safe to send again/);
  });
});
