import { Inject, Injectable } from '@nestjs/common';
import type { MessageData, MessageDefinition } from '@bascule/contracts';
import { appendEvents, migrationStreamId, wakeRelay } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import { deterministicId } from '@bascule/orchestration';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { z } from 'zod';

/** The command an event answers, and the sender's metadata to carry on (correlation, trace). */
export interface RecordingContext {
  migrationId: string;
  stepId: string;
  commandId: string;
  metadata: Record<string, unknown>;
}

/** One fact to record, already checked by its contract; `idParts` tell it apart from the command's other facts. */
export interface StepFact {
  type: string;
  data: unknown;
  idParts: string[];
}

export function stepFact<N extends string, S extends z.ZodType>(definition: MessageDefinition<N, S>, data: MessageData<MessageDefinition<N, S>>, ...idParts: string[]): StepFact {
  return { type: definition.name, data: definition.schema.parse(data), idParts };
}

/**
 * Appends the api-agent's facts to the migration's stream, several in one atomic append when they
 * belong together (a failed window and the step's failure). Ids derive from the command and the
 * fact, so a redelivered command appends nothing twice; the outbox relay is woken so the planner
 * and the rollback-manager hear at once.
 */
@Injectable()
export class ApiStepRecorder {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  async record(context: RecordingContext, ...facts: StepFact[]): Promise<void> {
    const metadata = { correlationId: context.migrationId, actor: 'bascule', ...context.metadata };
    const events = facts.map((fact) => ({
      eventId: deterministicId(context.migrationId, fact.type, context.stepId, context.commandId, ...fact.idParts),
      type: fact.type,
      data: fact.data,
      metadata,
    }));
    await appendEvents(this.pool, migrationStreamId(context.migrationId), events, { expectedVersion: 'any' });
    wakeRelay(this.nc, busTopology());
  }
}
