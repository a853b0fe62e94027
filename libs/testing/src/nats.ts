import { connect, type NatsConnection } from 'nats';
import { uniqueName } from './names';

export const TEST_NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A subject/stream prefix of its own, so a test's streams never meet another test's. */
export function uniqueBusPrefix(): string {
  return uniqueName('t');
}

export function connectTestNats(): Promise<NatsConnection> {
  return connect({ servers: TEST_NATS_URL, name: 'bascule-test' });
}

/** Deletes every JetStream stream whose name starts with the prefix's stream prefix. */
export async function deleteStreams(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const wanted = prefix.toUpperCase();
  for await (const info of jsm.streams.list()) {
    if (info.config.name.startsWith(`${wanted}_`)) await jsm.streams.delete(info.config.name);
  }
}
