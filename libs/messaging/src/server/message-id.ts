import type { JsMsg } from 'nats';
import { headersOf, headerValue, MSG_ID_HEADER } from './message-headers';

/**
 * The idempotency key of a delivered message: its `Nats-Msg-Id` (the command id a BusClient sent, the
 * event id the relay published) or, for a plain `nats pub` without one, `<stream>#<stream sequence>`.
 * The sequence is stable across redeliveries of that stored message, which is what dedup needs.
 * A payload hash was rejected: two separate on-call rollback requests with the same text are two
 * requests (the second may come after a re-run), and collapsing them forever would drop one.
 * Two `nats pub` of the same command are therefore two messages; the rollback handler is
 * idempotent on the migration's state, which is what makes such duplicates harmless.
 */
export function messageIdOf(msg: Pick<JsMsg, 'headers' | 'info' | 'seq'>): string {
  const sent = headerValue(headersOf(msg), MSG_ID_HEADER);
  if (sent) return sent;
  return `${msg.info.stream}#${msg.seq}`;
}
