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
}

/**
 * Sends the on-call rollback command exactly as `nats pub <prefix>.cmd.rollback '{...}'` does
 * (ARCHITECTURE.md contract): a plain core-NATS publish of the JSON payload, no headers, no
 * message id. The commands stream captures the subject, so nothing else is needed.
 */
export async function publishRollbackCommand(natsUrl: string, busPrefix: string, request: RollbackRequest): Promise<PublishedRollback> {
  const nc = await connect({ servers: natsUrl, name: 'bascule-demo-on-call', ...natsCredentials() });
  try {
    const subject = busTopology(busPrefix).commandSubject('rollback');
    const payload = JSON.stringify(request);
    const sentAt = Date.now();
    nc.publish(subject, payload);
    await nc.flush();
    return { subject, payload, sentAt };
  } finally {
    await nc.close();
  }
}
