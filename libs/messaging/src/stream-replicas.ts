import { MessagingError } from './errors/messaging.error';

/** The variable that sets how many copies of each stream JetStream keeps (README "Configuration"). */
export const STREAM_REPLICAS_ENV = 'BASCULE_STREAM_REPLICAS';

/** JetStream keeps at most five copies of a stream. */
export const MAX_STREAM_REPLICAS = 5;

/** `BASCULE_STREAM_REPLICAS` holds something JetStream cannot be asked for. */
export class StreamReplicasError extends MessagingError {
  readonly code = 'INVALID_STREAM_REPLICAS';
}

/**
 * How many copies of each stream the services ask JetStream for when they create or update the
 * streams: 1 (the default) on a single server, 3 on a three-node cluster (deploy/k8s/), so the bus
 * survives the loss of one node. Anything but a whole number from 1 to 5 is refused, naming the
 * variable, before a service touches the streams.
 */
export function streamReplicas(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[STREAM_REPLICAS_ENV]?.trim();
  if (!raw) return 1;
  const replicas = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(replicas >= 1 && replicas <= MAX_STREAM_REPLICAS)) {
    throw new StreamReplicasError(`${STREAM_REPLICAS_ENV} must be a whole number from 1 to ${MAX_STREAM_REPLICAS} (copies of each JetStream stream), not "${raw}"`);
  }
  return replicas;
}
