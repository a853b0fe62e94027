import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from 'nats';
import { streamReplicas } from './stream-replicas';
import type { BusTopology } from './topology';

const NANOS_PER_SECOND = 1_000_000_000;

const DAY_NANOS = 24 * 60 * 60 * NANOS_PER_SECOND;
const MIB = 1024 * 1024;

/**
 * The two streams, file-backed so they survive a NATS restart. The duplicate window is what makes
 * `Nats-Msg-Id` de-duplication work: a relay that re-publishes after a crash within it is dropped
 * by the server; past it, the relay's own checkpoint keeps it from re-publishing.
 *
 * Both are bounded, since anyone who can publish can fill them. Events: the store is the truth and
 * the stream only delivers, so the oldest give way (30 days, 2 GiB). Commands: only the catalogued
 * subjects, at most 1 MiB a message, 256 MiB and 7 days in all, and a full queue refuses a new
 * command (its sender gets the error) rather than drop a queued one unseen.
 *
 * `replicas`: copies of each stream JetStream keeps (`BASCULE_STREAM_REPLICAS`, 1 by default; 3 on
 * the three-node cluster of deploy/k8s/).
 */
export function streamConfigs(topology: BusTopology, replicas: number = streamReplicas()): Array<Partial<StreamConfig> & { name: string }> {
  return [
    {
      name: topology.eventsStream,
      subjects: [topology.eventsFilter],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: 10 * 60 * NANOS_PER_SECOND,
      max_age: 30 * DAY_NANOS,
      max_bytes: 2048 * MIB,
      num_replicas: replicas,
    },
    {
      name: topology.commandsStream,
      subjects: topology.commandNames.map((name) => topology.commandSubject(name)),
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.New,
      duplicate_window: 10 * 60 * NANOS_PER_SECOND,
      max_age: 7 * DAY_NANOS,
      max_bytes: 256 * MIB,
      max_msg_size: MIB,
      num_replicas: replicas,
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
