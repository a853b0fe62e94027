import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnalysisPhase, MetricVerdict } from '@bascule/contracts';
import { AnalysisWindowRow, ensureMonitorStore, MetricBaselineRow, MonitorRun, type MonitorRunStatus } from '@bascule/monitor-store';
import type { DataSource } from 'typeorm';
import type { MetricBaseline } from '../analysis/window-judge';

/** Where a watch stood when it was last judged: what a restarted monitor goes on from. */
export interface WatchPosition {
  windows: number;
  consecutiveFailures: number;
}

/**
 * The monitor's own state in its TypeORM tables (schema `bascule_monitor`): a row per watched
 * migration, its baselines, and every judged window. The decisions also go to the event store;
 * these tables are the time series and the counters a restart resumes from.
 */
@Injectable()
export class MonitorState implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The tables are current before the monitor takes a command (or it stops, naming `bascule events init`). */
  async onModuleInit(): Promise<void> {
    await ensureMonitorStore(this.dataSource);
  }

  async baselining(migrationId: string, target: string): Promise<void> {
    const now = new Date();
    await this.dataSource.getRepository(MonitorRun).upsert(
      { migrationId, target, status: 'baselining', phase: 'running', windows: 0, consecutiveFailures: 0, throttled: false, outcome: null, startedAt: now, updatedAt: now },
      ['migrationId'],
    );
  }

  async baselineTaken(migrationId: string, metrics: Array<{ name: string; source: string; baseline: MetricBaseline }>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const recordedAt = new Date();
      await manager.getRepository(MetricBaselineRow).upsert(
        metrics.map(({ name, source, baseline }) => ({ migrationId, metric: name, source, values: baseline.values, failures: baseline.failures, attempts: baseline.attempts, recordedAt })),
        ['migrationId', 'metric'],
      );
      await manager.getRepository(MonitorRun).update({ migrationId }, { status: 'watching', updatedAt: recordedAt });
    });
  }

  /** The baselines as taken (every value kept, in order), or null when this monitor's tables have none. */
  async baselinesOf(migrationId: string): Promise<Map<string, MetricBaseline> | null> {
    const rows = await this.dataSource.getRepository(MetricBaselineRow).findBy({ migrationId });
    if (rows.length === 0) return null;
    return new Map(rows.map((row) => [row.metric, { values: row.values, failures: row.failures, attempts: row.attempts }]));
  }

  /** A watch taken up again: its run row exists (an older monitor may have left none) and says it is watched. */
  async watching(migrationId: string, target: string): Promise<WatchPosition> {
    const runs = this.dataSource.getRepository(MonitorRun);
    const now = new Date();
    const run = await runs.findOneBy({ migrationId });
    if (!run) {
      await runs.insert({ migrationId, target, status: 'watching', phase: 'running', windows: 0, consecutiveFailures: 0, throttled: false, outcome: null, startedAt: now, updatedAt: now });
      return { windows: 0, consecutiveFailures: 0 };
    }
    await runs.update({ migrationId }, { status: 'watching', outcome: null, updatedAt: now });
    // A run that failed its analysis and was resumed by a human starts counting failures afresh.
    return { windows: run.windows, consecutiveFailures: run.status === 'failed' ? 0 : run.consecutiveFailures };
  }

  /** One judged window: a row per metric, and the run's counters, in one transaction. */
  async windowJudged(migrationId: string, outcome: { window: number; consecutiveFailures: number }, phase: AnalysisPhase, verdicts: MetricVerdict[], throttled: boolean): Promise<void> {
    const judgedAt = new Date();
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(AnalysisWindowRow).insert(
        verdicts.map((verdict) => ({
          migrationId,
          window: outcome.window,
          metric: verdict.name,
          phase,
          verdict: verdict.verdict,
          baseline: verdict.baseline,
          current: verdict.current,
          change: verdict.change,
          threshold: verdict.threshold,
          pValue: verdict.pValue,
          baselineSamples: verdict.samples.baseline,
          currentSamples: verdict.samples.current,
          reason: verdict.reason,
          judgedAt,
        })),
      );
      await manager
        .getRepository(MonitorRun)
        .update({ migrationId }, { windows: outcome.window, consecutiveFailures: outcome.consecutiveFailures, phase, throttled, updatedAt: judgedAt });
    });
  }

  async ended(migrationId: string, status: Extract<MonitorRunStatus, 'failed' | 'ended'>, outcome: string): Promise<void> {
    await this.dataSource.getRepository(MonitorRun).update({ migrationId }, { status, outcome, updatedAt: new Date() });
  }

  async runOf(migrationId: string): Promise<MonitorRun | null> {
    return this.dataSource.getRepository(MonitorRun).findOneBy({ migrationId });
  }

  async windowsOf(migrationId: string): Promise<AnalysisWindowRow[]> {
    return this.dataSource.getRepository(AnalysisWindowRow).find({ where: { migrationId }, order: { window: 'ASC', metric: 'ASC' } });
  }
}
