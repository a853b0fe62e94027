import { AckPolicy, DeliverPolicy, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from 'nats';
import { ConsumerSetupError } from '../errors/consumer-setup.error';

const NANOS_PER_MS = 1_000_000;

export interface ConsumerSpec {
  stream: string;
  name: string;
  filterSubject: string;
  ackWaitMs: number;
  deliverPolicy: DeliverPolicy;
  /** With `DeliverPolicy.StartSequence`: the first stream sequence a new consumer delivers. */
  optStartSeq?: number;
  description: string;
}

/**
 * The durable pull consumer a spec describes. `max_deliver` is -1 on purpose: the server would stop
 * delivering a message after max_deliver without telling anyone, so the transport counts deliveries
 * itself and dead-letters instead (see DeliveryLimitExceededError).
 */
export function consumerConfig(spec: ConsumerSpec): Partial<ConsumerConfig> {
  return {
    durable_name: spec.name,
    description: spec.description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: spec.deliverPolicy,
    ...(spec.deliverPolicy === DeliverPolicy.StartSequence ? { opt_start_seq: spec.optStartSeq ?? 1 } : {}),
    filter_subject: spec.filterSubject,
    ack_wait: spec.ackWaitMs * NANOS_PER_MS,
    max_deliver: -1,
  };
}

/**
 * Creates the consumer, or brings an existing one to the spec; safe when copies start at once. The
 * filter subject cannot change on a live consumer: a mismatch is reported rather than "fixed" by
 * deleting the consumer, which would lose its position.
 */
export async function ensureConsumer(jsm: JetStreamManager, spec: ConsumerSpec): Promise<ConsumerInfo> {
  const config = consumerConfig(spec);
  const existing = await consumerInfo(jsm, spec);
  try {
    if (!existing) return await jsm.consumers.add(spec.stream, config);
    if (existing.config.filter_subject !== spec.filterSubject) {
      throw new ConsumerSetupError(
        `consumer ${spec.name} on ${spec.stream} filters "${existing.config.filter_subject}", this service needs "${spec.filterSubject}"; delete the consumer to re-create it`,
      );
    }
    return await jsm.consumers.update(spec.stream, spec.name, {
      description: config.description,
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
    });
  } catch (error) {
    if (error instanceof ConsumerSetupError) throw error;
    if (!existing && isAlreadyExists(error)) return ensureConsumer(jsm, spec);
    throw new ConsumerSetupError(`could not set up consumer ${spec.name} on ${spec.stream}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Where a consumer that replaces `name` should start: just past its ack floor (what it had
 * settled), or undefined when there is no such consumer.
 */
export async function ackFloorOf(jsm: JetStreamManager, stream: string, name: string): Promise<number | undefined> {
  const info = await consumerInfo(jsm, { stream, name });
  return info ? info.ack_floor.stream_seq + 1 : undefined;
}

/** Deletes a consumer that is no longer used; a copy that deleted it first is not an error. */
export async function retireConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<void> {
  try {
    await jsm.consumers.delete(stream, name);
  } catch (error) {
    if (/consumer not found/i.test((error as Error).message)) return;
    throw new ConsumerSetupError(`could not delete the retired consumer ${name} on ${stream}: ${(error as Error).message}`, { cause: error });
  }
}

async function consumerInfo(jsm: JetStreamManager, spec: Pick<ConsumerSpec, 'stream' | 'name'>): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(spec.stream, spec.name);
  } catch (error) {
    if (/consumer not found/i.test((error as Error).message)) return undefined;
    throw new ConsumerSetupError(`could not read consumer ${spec.name} on ${spec.stream}: ${(error as Error).message}`, { cause: error });
  }
}

function isAlreadyExists(error: unknown): boolean {
  return /already (exists|in use)/i.test((error as Error).message);
}
