import { Inject, Injectable, Logger } from '@nestjs/common';
import { COMMAND_REJECTIONS_STREAM, CommandRejected, type MessageData, type MessageDefinition } from '@bascule/contracts';
import { appendEvents, migrationStreamId, readStream, wakeRelay } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import {
  bindCommand,
  claimSubject,
  commandClaim,
  deterministicId,
  foldMigration,
  UnknownMigrationStreamError,
  type BoundCommandName,
  type ClaimFields,
  type CommandBinding,
  type CommandClaim,
  type MigrationState,
} from '@bascule/orchestration';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { z } from 'zod';

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

  /** `claim` is the message: only its migration id, command id and step id or label are read. */
  async bind<N extends BoundCommandName, S extends z.ZodType>(definition: MessageDefinition<N, S>, claim: ClaimFields<N>): Promise<MessageData<MessageDefinition<N, S>> | null> {
    const named = commandClaim(definition.name, claim);
    const binding = bindCommand(await this.migration(named.migrationId), named);
    if (binding.bound) return definition.schema.parse(binding.command.payload) as MessageData<MessageDefinition<N, S>>;
    await this.recordRejection(named, binding);
    return null;
  }

  private async recordRejection(claim: CommandClaim, rejection: Extract<CommandBinding, { bound: false }>): Promise<void> {
    const { stepId, label } = claimSubject(claim);
    // A monitor baseline names neither a step nor a label: only its migration.
    const named = stepId ?? label ?? '';
    this.logger.warn(`refused ${claim.name} ${clip(claim.migrationId, 80)}/${clip(named, 80)}: ${rejection.message}`);
    const data: MessageData<typeof CommandRejected> = {
      command: claim.name,
      migrationId: clip(claim.migrationId, 200),
      stepId: stepId === null ? null : clip(stepId, 200),
      label: label === null ? null : clip(label, 200),
      commandId: clip(claim.commandId, 100),
      code: rejection.code,
      message: clip(rejection.message, 1000),
    };
    // The same forged message delivered again records nothing new.
    const eventId = deterministicId('command-rejected', claim.name, claim.commandId, claim.migrationId, named);
    await appendEvents(this.pool, COMMAND_REJECTIONS_STREAM, [{ eventId, type: CommandRejected.name, data }]);
    wakeRelay(this.nc, busTopology());
  }

  private migration(migrationId: string): Promise<MigrationState | null> {
    return loadMigration(this.pool, migrationId);
  }
}

/** The migration's state folded from its stream, or null: no such stream, or a stream of that name that is no migration. */
export async function loadMigration(pool: Pool, migrationId: string): Promise<MigrationState | null> {
  const events = await readStream(pool, migrationStreamId(migrationId));
  if (events.length === 0) return null;
  try {
    return foldMigration(events);
  } catch (error) {
    // Someone appended to a stream of that name: nothing to bind to.
    if (error instanceof UnknownMigrationStreamError) return null;
    throw error;
  }
}
