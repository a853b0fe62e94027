import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from 'nats';
import type { BusTopology } from './topology';

const NANOS_PER_SECOND = 1_000_000_000;

/**
 * The two streams, file-backed so they survive a NATS restart. The duplicate window is what makes
 * `Nats-Msg-Id` de-duplication work: a relay that re-publishes after a crash within it is dropped
 * by the server; past it, the relay's own checkpoint keeps it from re-publishing.
 */
export function streamConfigs(topology: BusTopology): Array<Partial<StreamConfig> & { name: string }> {
  return [
    {
      name: topology.eventsStream,
      subjects: [topology.eventsFilter],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: 10 * 60 * NANOS_PER_SECOND,
    },
    {
      name: topology.commandsStream,
      subjects: [topology.commandsFilter],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: 10 * 60 * NANOS_PER_SECOND,
    },
  ];
}

/** Creates the streams, or brings an existing one to this configuration; safe to call from every service at once. */
export async function ensureStreams(jsm: JetStreamManager, topology: BusTopology): Promise<void> {
  for (const config of streamConfigs(topology)) {
    try {
      await jsm.streams.add(config);
    } catch (error) {
      if (!String((error as Error).message).includes('already in use')) throw error;
      await jsm.streams.update(config.name, config);
    }
  }
}
