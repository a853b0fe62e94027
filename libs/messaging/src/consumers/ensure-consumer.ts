import { AckPolicy, DeliverPolicy, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from 'nats';
import { ConsumerSetupError } from '../errors/consumer-setup.error';

const NANOS_PER_MS = 1_000_000;

export interface ConsumerSpec {
  stream: string;
  name: string;
  filterSubject: string;
  ackWaitMs: number;
  deliverPolicy: DeliverPolicy;
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

async function consumerInfo(jsm: JetStreamManager, spec: ConsumerSpec): Promise<ConsumerInfo | undefined> {
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
