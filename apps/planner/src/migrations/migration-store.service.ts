import { Inject, Injectable } from '@nestjs/common';
import { MigrationPlanned } from '@bascule/contracts';
import { appendEvents, listStreams, migrationStreamId, migrationTraceparent, readStream, wakeRelay, type NewEvent, type StoredEvent } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import { foldMigration, type MigrationState } from '@bascule/orchestration';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { MigrationNotFoundError } from '../http/planner.errors';
import { apiStepProgress, type ApiStepProgress } from './api-step-progress';
import { grafanaBaseUrl, migrationTraceOf, type MigrationTrace } from './migration-trace';
import { recoveryPointsOf, type RecoveryPointView } from './recovery-points-view';

/** A migration as the read routes show it: its fold, and what its api steps' canaries did. */
export interface MigrationRecord {
  state: MigrationState;
  apiSteps: Map<string, ApiStepProgress>;
  trace: MigrationTrace | null;
  recoveryPoints: RecoveryPointView[];
}

const STREAM_PREFIX = 'migration-';
/** Route ids end up in SQL parameters only, but an absurd one is refused before any query. */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,200}$/;

/** Reads migrations from their streams and appends at the folded version: the store is the only truth. */
@Injectable()
export class MigrationStore {
  private readonly topology = busTopology();
  /** Checked at boot: a bad BASCULE_GRAFANA_URL stops the planner naming it, not at the first report. */
  private readonly grafana = grafanaBaseUrl(process.env.BASCULE_GRAFANA_URL);

  constructor(
    @Inject(PG_POOL) readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  async events(id: string): Promise<StoredEvent[]> {
    if (!ID_SHAPE.test(id)) throw new MigrationNotFoundError(id);
    const events = await readStream(this.pool, migrationStreamId(id));
    if (events[0]?.type !== MigrationPlanned.name) throw new MigrationNotFoundError(id);
    return events;
  }

  /** The trace the migration was planned in (its first event's), which every later command joins. */
  async traceparent(id: string): Promise<string | undefined> {
    return ID_SHAPE.test(id) ? migrationTraceparent(this.pool, id) : undefined;
  }

  async state(id: string): Promise<MigrationState> {
    return foldMigration(await this.events(id));
  }

  async record(id: string): Promise<MigrationRecord> {
    return this.recordOf(await this.events(id));
  }

  async list(): Promise<MigrationRecord[]> {
    const streams = await listStreams(this.pool, { prefix: STREAM_PREFIX, firstEventType: MigrationPlanned.name });
    return Promise.all(streams.map(async (stream) => this.recordOf(await readStream(this.pool, stream.streamId))));
  }

  private recordOf(events: StoredEvent[]): MigrationRecord {
    return { state: foldMigration(events), apiSteps: apiStepProgress(events), trace: migrationTraceOf(events, this.grafana), recoveryPoints: recoveryPointsOf(events) };
  }

  async append(id: string, events: NewEvent[], expectedVersion: number | 'no_stream'): Promise<void> {
    await appendEvents(this.pool, migrationStreamId(id), events, { expectedVersion });
    wakeRelay(this.nc, this.topology);
  }
}
