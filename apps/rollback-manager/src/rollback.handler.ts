import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { RequestRollback, type MessageData } from '@bascule/contracts';
import { CommandHandler, type JetStreamContext } from '@bascule/messaging';
import { RollbackRunner } from './rollback-runner.service';

/**
 * **Contract**: `bascule.cmd.rollback` `{migrationId, reason, requestedBy}` from any NATS client
 * (`nats pub`), or from the planner's `POST /migrations/:id/rollback`, which sends the same command
 * with metadata `{trigger: 'api', actor}`.
 */
@Controller()
export class RollbackHandler {
  constructor(private readonly runner: RollbackRunner) {}

  @CommandHandler(RequestRollback)
  async rollback(@Payload() command: MessageData<typeof RequestRollback>, @Ctx() ctx: JetStreamContext): Promise<void> {
    const receivedAt = new Date();
    const metadata = ctx.getMetadata();
    await this.runner.request(command, {
      trigger: metadata['trigger'] === 'api' ? 'api' : 'on-call',
      messageId: ctx.getMessageId(),
      receivedAt,
      metadata,
    });
  }
}
