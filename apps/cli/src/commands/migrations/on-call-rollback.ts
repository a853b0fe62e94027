import { connect } from 'nats';
import { busTopology, natsCredentials } from '@bascule/messaging';

export interface RollbackRequest {
  migrationId: string;
  reason: string;
  requestedBy: string;
}

export interface PublishedRollback {
  subject: string;
  payload: string;
  /** Epoch ms just before the publish left: "command sent" in the demo's timing. */
  sentAt: number;
  /** With `stored`: the stream and sequence JetStream acknowledged the command under. */
  storedAs?: { stream: string; seq: number };
}

export interface PublishOptions {
  /** Shown to the NATS server (`nats server report connections`). */
  clientName?: string;
  /**
   * Publish through JetStream and wait for its acknowledgement: the same subject and payload (so
   * the same message), but a bus prefix that no stream captures, or a server without the commands
   * stream, fails loudly instead of the command vanishing, as a core publish would let it.
   */
  stored?: boolean;
  /** Milliseconds to connect and, with `stored`, to be acknowledged. */
  timeoutMs?: number;
}

/**
 * Sends the on-call rollback command exactly as `nats pub <prefix>.cmd.rollback '{...}'` does
 * (ARCHITECTURE.md contract): the JSON payload, no headers, no message id. The commands stream
 * captures the subject, so nothing else is needed.
 */
export async function publishRollbackCommand(natsUrl: string, busPrefix: string, request: RollbackRequest, options: PublishOptions = {}): Promise<PublishedRollback> {
  const nc = await connect({ servers: natsUrl, name: options.clientName ?? 'bascule-demo-on-call', timeout: options.timeoutMs, ...natsCredentials() });
  try {
    const subject = busTopology(busPrefix).commandSubject('rollback');
    const payload = JSON.stringify(request);
    const sentAt = Date.now();
    if (options.stored) {
      const ack = await nc.jetstream({ timeout: options.timeoutMs }).publish(subject, payload);
      return { subject, payload, sentAt, storedAs: { stream: ack.stream, seq: ack.seq } };
    }
    nc.publish(subject, payload);
    await nc.flush();
    return { subject, payload, sentAt };
  } finally {
    await nc.close();
  }
}
