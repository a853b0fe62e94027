import { Inject, Injectable, Logger } from '@nestjs/common';
import { COMMAND_REJECTIONS_STREAM, CommandRejected, type MessageData, type MessageDefinition } from '@bascule/contracts';
import { appendEvents, migrationStreamId, readStream, wakeRelay } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import { bindCommand, deterministicId, foldMigration, UnknownMigrationStreamError, type BoundCommandName, type MigrationState } from '@bascule/orchestration';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { z } from 'zod';

interface Claim {
  migrationId: string;
  stepId: string;
  commandId: string;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The edge of `bindCommand`: reads the migration's stream, and returns the command its events asked
 * for (typed by the command's contract) or records a `CommandRejected` and returns null. What the
 * agent runs comes from the returned payload, never from the message.
 */
@Injectable()
export class PlanBinding {
  private readonly logger = new Logger(PlanBinding.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  async bind<N extends BoundCommandName, S extends z.ZodType>(definition: MessageDefinition<N, S>, claim: Claim): Promise<MessageData<MessageDefinition<N, S>> | null> {
    const binding = bindCommand(await this.migration(claim.migrationId), { name: definition.name, ...claim });
    if (binding.bound) return definition.schema.parse(binding.command.payload) as MessageData<MessageDefinition<N, S>>;
    this.logger.warn(`refused ${definition.name} ${clip(claim.migrationId, 80)}/${clip(claim.stepId, 80)}: ${binding.message}`);
    const data: MessageData<typeof CommandRejected> = {
      command: definition.name,
      migrationId: clip(claim.migrationId, 200),
      stepId: clip(claim.stepId, 200),
      commandId: clip(claim.commandId, 100),
      code: binding.code,
      message: clip(binding.message, 1000),
    };
    // The same forged message delivered again records nothing new.
    const eventId = deterministicId('command-rejected', definition.name, claim.commandId, claim.migrationId, claim.stepId);
    await appendEvents(this.pool, COMMAND_REJECTIONS_STREAM, [{ eventId, type: CommandRejected.name, data }]);
    wakeRelay(this.nc, busTopology());
    return null;
  }

  private async migration(migrationId: string): Promise<MigrationState | null> {
    const events = await readStream(this.pool, migrationStreamId(migrationId));
    if (events.length === 0) return null;
    try {
      return foldMigration(events);
    } catch (error) {
      // A stream of that name that is no migration (someone appended to it): nothing to bind to.
      if (error instanceof UnknownMigrationStreamError) return null;
      throw error;
    }
  }
}
