import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { RollbackApiStep, RunApiStep, type MessageData } from '@bascule/contracts';
import { CommandHandler, type JetStreamContext } from '@bascule/messaging';
import { loadMigration, PlanBinding } from '@bascule/plan-binding';
import { PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import { CanaryRunner } from './canary/canary-runner.service';
import { ApiRollback } from './rollback/api-rollback.service';

/**
 * `api.start` and `api.rollback`, each bound to its migration's events first (PlanBinding): the
 * router, versions, documents and canary come from the stored spec, never from the message. The
 * two run on separate consumers, so a rollback is taken while a canary still runs.
 */
@Controller()
export class ApiAgentHandlers {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly binding: PlanBinding,
    private readonly canary: CanaryRunner,
    private readonly rollback: ApiRollback,
  ) {}

  @CommandHandler(RunApiStep)
  async start(@Payload() message: MessageData<typeof RunApiStep>, @Ctx() ctx?: JetStreamContext): Promise<void> {
    if (this.canary.isStopping) return ctx?.handBack('the api-agent is stopping');
    const command = await this.binding.bind(RunApiStep, message);
    if (!command) return;
    const state = await loadMigration(this.pool, command.migrationId);
    if (!state) return;
    if ((await this.canary.run(state, command, ctx?.getMetadata() ?? {})) === 'handed-back') ctx?.handBack('the api-agent stopped in the middle of a canary');
  }

  @CommandHandler(RollbackApiStep)
  async rollbackStep(@Payload() message: MessageData<typeof RollbackApiStep>, @Ctx() ctx?: JetStreamContext): Promise<void> {
    const command = await this.binding.bind(RollbackApiStep, message);
    if (!command) return;
    const state = await loadMigration(this.pool, command.migrationId);
    if (state) await this.rollback.run(state, command, ctx?.getMetadata() ?? {});
  }
}
