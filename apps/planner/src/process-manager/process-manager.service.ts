import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { MigrationPlanned } from '@bascule/contracts';
import { appendEvents, isExpectedVersionConflictError, listStreams, migrationStreamId, migrationTraceparent, readStream, wakeRelay } from '@bascule/event-store';
import type { BusClient } from '@bascule/messaging';
import { decideNext, foldMigration, foldOnto, isFinished, PROCESS_ACTOR, type DecidedCommand, type MigrationState } from '@bascule/orchestration';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import { withSpanUnder } from '@bascule/telemetry';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { BUS_CLIENT } from '../planner.constants';
import { PROCESS_COMMANDS } from './command-definitions';
import { migrationsDueForCompletion } from './due-migrations.query';
import { MigrationLocks } from './migration-locks';
import { RecoveryPoints } from './recovery-points';

const STREAM_PREFIX = 'migration-';
/** A migration has at most a few hundred transitions; more means a decision that never settles. */
const MAX_TRANSITIONS = 5_000;
const TICK_MS = 1_000;

/**
 * The process manager: event-sourced, its decisions come from the stored stream only. For a
 * migration it reads the stream, folds it, asks `decideNext`, appends the decided events at the
 * folded version (a conflict means another copy moved first: fold again) and then sends the
 * decided commands. It keeps the fold of what it read and reads only the events after it next time
 * (a chain of steps re-read and re-folded its whole stream at every step); the fold of a stored
 * prefix never changes, so this is the same state a full read gives, and a restart rebuilds it.
 */
@Injectable()
export class ProcessManager implements OnApplicationShutdown {
  private readonly logger = new Logger(ProcessManager.name);
  private readonly locks = new MigrationLocks();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private stopped = false;
  /** Migrations whose decided commands could not be sent (NATS down): re-sent, in-flight included, by the next tick. */
  private readonly unsent = new Set<string>();
  /**
   * Per migration, the stream version at which this copy last found nothing more to decide (and
   * sent what it had decided). An event at or below it was in that fold, so its nudge would only
   * read and fold the same stream again: the nudge for the planner's own StepDispatched, say.
   */
  private readonly settledAt = new Map<string, number>();
  /** Per unfinished migration, the fold of its stream as last read (used under the migration's lock only). */
  private readonly folds = new Map<string, MigrationState>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BUS_CLIENT) private readonly bus: BusClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly recoveryPoints: RecoveryPoints,
  ) {}

  /**
   * Continues every unfinished migration (re-sending in-flight commands: the bus drops a duplicate
   * within its window and the agents' handlers are idempotent), then every second completes the
   * migrations whose window elapsed and re-sends commands a NATS outage kept from going out.
   */
  async start(): Promise<void> {
    this.stopped = false;
    const streams = await listStreams(this.pool, { prefix: STREAM_PREFIX, firstEventType: MigrationPlanned.name });
    for (const stream of streams) {
      await this.advance(stream.streamId.slice(STREAM_PREFIX.length), { resendInFlight: true }).catch((error: unknown) => this.logger.warn(`continuing ${stream.streamId} failed: ${(error as Error).message}`));
    }
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Moves the migration as far as it can go now. Safe to call any number of times, from any copy. */
  advance(migrationId: string, options: { resendInFlight?: boolean } = {}): Promise<MigrationState | null> {
    return this.locks.run(migrationId, () => this.advanceNow(migrationId, options));
  }

  /**
   * An event of the migration was stored at `streamVersion`: advance, unless this copy already
   * decided on a fold that held it (checked under the migration's lock, after any run in progress).
   */
  nudge(migrationId: string, streamVersion: number | undefined): Promise<void> {
    return this.locks.run(migrationId, async () => {
      const settled = this.settledAt.get(migrationId);
      if (streamVersion !== undefined && settled !== undefined && streamVersion <= settled) return;
      await this.advanceNow(migrationId, {});
    });
  }

  private async advanceNow(migrationId: string, options: { resendInFlight?: boolean }): Promise<MigrationState | null> {
    const streamId = migrationStreamId(migrationId);
    let resendInFlight = options.resendInFlight ?? false;
    for (let transitions = 0; transitions < MAX_TRANSITIONS && !this.stopped; transitions++) {
      const state = await this.readFold(migrationId, streamId);
      if (!state) return null;
      if (isFinished(state.status)) {
        this.folds.delete(migrationId);
        return this.settled(migrationId, state);
      }
      const decision = decideNext(state, new Date(), { resendInFlight });
      resendInFlight = false;
      if (decision.events.length > 0) {
        try {
          const metadata = { correlationId: migrationId, actor: PROCESS_ACTOR };
          const events = await this.recoveryPoints.stamp(state.target, decision.events);
          await appendEvents(this.pool, streamId, events.map((event) => ({ ...event, metadata })), { expectedVersion: state.version });
          wakeRelay(this.nc, this.bus.topology);
        } catch (error) {
          if (isExpectedVersionConflictError(error)) continue; // another copy or an agent moved first: decide again
          throw error;
        }
      }
      try {
        await this.send(migrationId, decision.commands);
      } catch (error) {
        // The events are stored, so no later decision would send these again by itself.
        this.unsent.add(migrationId);
        throw error;
      }
      if (decision.events.length === 0) return this.settled(migrationId, state);
    }
    return null;
  }

  /**
   * The migration's state from the store: the kept fold moved on by the events after it, or a full
   * read. The returned state is the kept one: decideNext only reads it, and callers only read it
   * before the next advance of the migration. A fold that failed half-way is dropped, not kept.
   */
  private async readFold(migrationId: string, streamId: string): Promise<MigrationState | null> {
    const kept = this.folds.get(migrationId);
    if (kept) {
      const events = await readStream(this.pool, streamId, { fromVersion: kept.version + 1 });
      try {
        return foldOnto(kept, events);
      } catch (error) {
        this.folds.delete(migrationId);
        throw error;
      }
    }
    const events = await readStream(this.pool, streamId);
    if (events[0]?.type !== MigrationPlanned.name) return null;
    const state = foldMigration(events);
    this.folds.set(migrationId, state);
    return state;
  }

  private settled(migrationId: string, state: MigrationState): MigrationState {
    this.settledAt.set(migrationId, state.version);
    return state;
  }

  private async send(migrationId: string, commands: DecidedCommand[]): Promise<void> {
    for (const command of commands) {
      const definition = PROCESS_COMMANDS.get(command.definition) ?? command.definition;
      await this.bus.sendCommand(definition, command.payload, { commandId: command.commandId, metadata: { correlationId: migrationId, actor: PROCESS_ACTOR } });
    }
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      for (const migrationId of [...this.unsent]) {
        this.unsent.delete(migrationId);
        await this.advance(migrationId, { resendInFlight: true });
      }
      for (const streamId of await migrationsDueForCompletion(this.pool, new Date())) {
        const migrationId = streamId.slice(STREAM_PREFIX.length);
        // No message or request carries this one's trace: the window elapsed, the migration's own trace it is.
        const traceparent = await migrationTraceparent(this.pool, migrationId);
        await withSpanUnder(traceparent, 'migration window elapsed', { 'bascule.migration.id': migrationId }, () => this.advance(migrationId));
      }
    } catch (error) {
      this.logger.warn(`completing due migrations failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }
}
