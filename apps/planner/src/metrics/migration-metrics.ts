import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MigrationPlanned } from '@bascule/contracts';
import { listStreams, readStream } from '@bascule/event-store';
import { foldMigration, foldOnto, isFinished, MIGRATION_STATUSES, type MigrationState, type MigrationStatus } from '@bascule/orchestration';
import { METRICS_REGISTRY, PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { endedRuns, runSnapshot } from './ended-runs';

const STREAM_PREFIX = 'migration-';
/** Runs end between scrapes too: fold the new events this often even when nobody scrapes. */
const REFRESH_MS = 5_000;
/** Scrapes that follow each other this closely share one refresh. */
const REUSE_MS = 500;
/** A step or phase lasts from a second (an sql step) to hours (a backfill, an analysis soak). */
const RUN_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];

/** A migration as last folded here: its state while it can still change, its status only once finished. */
interface Followed {
  version: number;
  status: MigrationStatus;
  state: MigrationState | null;
}

/**
 * The planner's view of every migration on `/metrics`: how many are in each status, and how long
 * steps and phases ran, by outcome. It folds each migration stream's new events (the store is the
 * only truth, as for the REST routes) and diffs the fold to see which runs ended; a run that ended
 * before this process started is not counted (its events were folded as history). Every planner
 * copy observes every run: on a dashboard, take one copy's series (`max by`) or a quantile.
 */
@Injectable()
export class MigrationMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MigrationMetrics.name);
  private readonly migrations: Gauge<'status'>;
  private readonly steps: Histogram<'kind' | 'outcome'>;
  private readonly phases: Histogram<'outcome'>;
  private readonly followed = new Map<string, Followed>();
  /** History folded: from now on a fold's new events are runs to observe. */
  private baselined = false;
  private refreshing: { at: number; done: Promise<void> } | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const registers = [registry];
    this.migrations = new Gauge({
      name: 'bascule_migrations',
      help: 'Migrations in the event store by status (every status listed, 0 included).',
      labelNames: ['status'],
      registers,
      collect: async () => {
        await this.refresh();
        const counts = new Map<MigrationStatus, number>(MIGRATION_STATUSES.map((status) => [status, 0]));
        for (const { status } of this.followed.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
        for (const [status, count] of counts) this.migrations.set({ status }, count);
      },
    });
    this.steps = new Histogram({
      name: 'bascule_step_duration_seconds',
      help: 'Step runs from dispatch to their outcome: succeeded, failed, or rolled_back (taken over by a rollback before reporting).',
      labelNames: ['kind', 'outcome'],
      buckets: RUN_BUCKETS,
      registers,
    });
    this.phases = new Histogram({
      name: 'bascule_phase_duration_seconds',
      help: 'Phase runs from start to completed (succeeded), failed, or cut off by a rollback (rolled_back).',
      labelNames: ['outcome'],
      buckets: RUN_BUCKETS,
      registers,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh().catch(() => undefined);
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Folds what was appended since the last refresh; one at a time, and shared by calls close together. */
  refresh(): Promise<void> {
    const last = this.refreshing;
    if (last && Date.now() - last.at < REUSE_MS) return last.done;
    const done = (last?.done ?? Promise.resolve()).catch(() => undefined).then(() => this.foldNewEvents());
    this.refreshing = { at: Date.now(), done };
    return done;
  }

  private async foldNewEvents(): Promise<void> {
    const streams = await listStreams(this.pool, { prefix: STREAM_PREFIX, firstEventType: MigrationPlanned.name });
    for (const stream of streams) {
      const known = this.followed.get(stream.streamId);
      if (known && (known.state === null || known.version >= stream.version)) continue;
      try {
        const state = known?.state ? await this.moveOn(stream.streamId, known.state) : await this.foldWhole(stream.streamId);
        this.followed.set(stream.streamId, { version: state.version, status: state.status, state: isFinished(state.status) ? null : state });
      } catch (error) {
        // A stream this version cannot fold stays as it was (or uncounted): the REST routes say why.
        this.followed.delete(stream.streamId);
        this.logger.warn(`metrics: folding ${stream.streamId} failed: ${(error as Error).message}`);
      }
    }
    this.baselined = true;
  }

  private async foldWhole(streamId: string): Promise<MigrationState> {
    const events = await readStream(this.pool, streamId);
    if (!this.baselined) return foldMigration(events);
    // Planned after this process started: every run in it is new.
    return this.observe(foldMigration(events.slice(0, 1)), events.slice(1));
  }

  private async moveOn(streamId: string, state: MigrationState): Promise<MigrationState> {
    return this.observe(state, await readStream(this.pool, streamId, { fromVersion: state.version + 1 }));
  }

  private observe(state: MigrationState, events: Parameters<typeof foldOnto>[1]): MigrationState {
    const before = runSnapshot(state);
    foldOnto(state, events);
    for (const run of endedRuns(before, state, new Date())) {
      if (run.of === 'step') this.steps.observe({ kind: run.kind, outcome: run.outcome }, run.seconds);
      else this.phases.observe({ outcome: run.outcome }, run.seconds);
    }
    return state;
  }
}
