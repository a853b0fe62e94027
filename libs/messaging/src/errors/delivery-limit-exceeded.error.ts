import { MessagingError } from './messaging.error';

/**
 * A message delivered more than `maxDeliver` times: the earlier deliveries ended without their
 * outcome being settled (the process crashed, the ack wait ran out, or the dead-letter sink failed),
 * so it is dead-lettered without calling the handler again. The server itself never stops redelivering (max_deliver -1): the limit is enforced here so
 * that a message is never dropped by JetStream without a dead letter.
 */
export class DeliveryLimitExceededError extends MessagingError {
  readonly code = 'delivery_limit_exceeded';

  constructor(readonly deliveries: number, readonly maxDeliver: number) {
    super(`delivered ${deliveries} times, more than maxDeliver ${maxDeliver}; the earlier deliveries ended unsettled (crash, ack timeout or dead-letter sink failure)`);
  }
}
