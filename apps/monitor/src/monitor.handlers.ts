import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { MigrationResumed, RunAnalysisStep, TakeMonitorBaseline, type MessageData } from '@bascule/contracts';
import { CommandHandler, EventHandler, type JetStreamContext } from '@bascule/messaging';
import { loadMigration, PlanBinding } from '@bascule/plan-binding';
import { PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import { MonitorRunner } from './monitor-runner.service';

/**
 * `monitor.baseline` and `monitor.analyze`, each bound to its migration's events first (PlanBinding):
 * the metrics, their SQL and addresses come from the stored spec, never from the message.
 */
@Controller()
export class MonitorHandlers {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly binding: PlanBinding,
    private readonly runner: MonitorRunner,
  ) {}

  @CommandHandler(TakeMonitorBaseline)
  async baseline(@Payload() message: MessageData<typeof TakeMonitorBaseline>, @Ctx() ctx?: JetStreamContext): Promise<void> {
    const command = await this.binding.bind(TakeMonitorBaseline, message);
    if (!command) return;
    const state = await loadMigration(this.pool, command.migrationId);
    if (state) await this.runner.baseline(state, ctx?.getMetadata() ?? {});
  }

  /** A human resumed a migration (perhaps one a failed analysis paused): watch it again. */
  @EventHandler(MigrationResumed)
  async migrationResumed(@Payload() event: { data: { migrationId: string } }): Promise<void> {
    await this.runner.resumed(event.data.migrationId);
  }

  @CommandHandler(RunAnalysisStep)
  async analyze(@Payload() message: MessageData<typeof RunAnalysisStep>, @Ctx() ctx?: JetStreamContext): Promise<void> {
    const command = await this.binding.bind(RunAnalysisStep, message);
    if (!command) return;
    const state = await loadMigration(this.pool, command.migrationId);
    if (state && !(await this.runner.analyze(state, command.stepId, ctx?.getMetadata() ?? {}))) ctx?.handBack('the monitor is stopping');
  }
}
