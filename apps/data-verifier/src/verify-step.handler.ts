import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { RunVerifyStep, VerificationErrored, VerifyStepFailed, VerifyStepPassed, type MessageData, type TableComparison } from '@bascule/contracts';
import { checkInvariants, compareWithBaseline } from '@bascule/data-verification';
import { CommandHandler, type JetStreamContext } from '@bascule/messaging';
import { PlanBinding } from '@bascule/plan-binding';
import { baselineOf, baselinesLabelled } from './baseline-lookup';
import { describeTableFailure, lostRows, toTableComparison } from './table-comparison';
import { TargetPools } from './target-pools';
import { VerificationLog } from './verification-log';
import { verificationFailureOf } from './verification-failure';

type Command = MessageData<typeof RunVerifyStep>;

/**
 * `verify` steps: each table against the `against` baseline (no row lost; with `checksums: false`
 * only the row count is judged) and each SQL invariant against its expected result. The step runs
 * as the stored plan has it, once dispatched (PlanBinding): the message only names it.
 */
@Controller()
export class VerifyStepHandler {
  private readonly logger = new Logger(VerifyStepHandler.name);

  constructor(
    private readonly binding: PlanBinding,
    private readonly targets: TargetPools,
    private readonly log: VerificationLog,
  ) {}

  @CommandHandler(RunVerifyStep)
  async verify(@Payload() message: Command, @Ctx() ctx?: JetStreamContext): Promise<void> {
    const command = await this.binding.bind(RunVerifyStep, message);
    if (!command) return;
    const metadata = ctx?.getMetadata() ?? {};
    const answers = [VerifyStepPassed.name, VerifyStepFailed.name, VerificationErrored.name];
    if (await this.log.alreadyAnswered(command.migrationId, command.commandId, answers)) return;
    const began = Date.now();
    try {
      const pool = this.targets.get(command.target);
      const tables: TableComparison[] = [];
      if (command.tables.length > 0) {
        const summaries = baselinesLabelled(await this.log.events(command.migrationId), command.against);
        for (const table of command.tables) {
          tables.push(toTableComparison(table, await compareWithBaseline(pool, baselineOf(summaries, table, command.against))));
        }
      }
      const results = await checkInvariants(pool, command.invariants);
      const invariants = results.map((result) => ({
        name: result.name,
        passed: result.passed,
        actual: result.actual,
        expected: result.expected,
        ...(result.reason || result.error ? { message: result.reason ?? result.error?.message } : {}),
      }));
      const lost = tables.filter((table) => (command.checksums ? lostRows(table) : table.rowCount < table.baselineRowCount));
      const broken = invariants.filter((invariant) => !invariant.passed);
      const data = { migrationId: command.migrationId, stepId: command.stepId, tables, invariants, durationMs: Date.now() - began };
      if (lost.length === 0 && broken.length === 0) {
        await this.log.record(command.migrationId, command.commandId, VerifyStepPassed.name, data, metadata);
        return;
      }
      const message = [
        ...lost.map((table) => describeTableFailure(table, 'no-loss')),
        ...broken.map((invariant) => `invariant "${invariant.name}" expected ${JSON.stringify(invariant.expected)}, got ${JSON.stringify(invariant.actual)}${invariant.message ? ` (${invariant.message})` : ''}`),
      ].join('; ');
      await this.log.record(command.migrationId, command.commandId, VerifyStepFailed.name, { ...data, message }, metadata);
    } catch (error) {
      const failure = verificationFailureOf(error);
      this.logger.warn(`verify step ${command.stepId} of ${command.migrationId} errored: ${failure.message}`);
      await this.log.record(
        command.migrationId,
        command.commandId,
        VerificationErrored.name,
        { migrationId: command.migrationId, command: 'verify.step', label: null, stepId: command.stepId, ...failure },
        metadata,
      );
    }
  }
}
