import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { BackupFailed, BackupTaken, TakeBackup, targetUrlEnvName, type MessageData } from '@bascule/contracts';
import { CommandHandler, type JetStreamContext } from '@bascule/messaging';
import { PlanBinding } from '@bascule/plan-binding';
import { TargetNotConfiguredError } from '@bascule/service-kit';
import { VerificationLog } from '../verification-log';
import { verificationFailureOf } from '../verification-failure';
import { BackupMismatchError } from './backup.errors';
import { takeBackup } from './take-backup';

type Command = MessageData<typeof TakeBackup>;

/**
 * `backup` steps: dump, restore into a scratch database, compare checksums (take-backup.ts);
 * `BackupTaken` once the copy matched, `BackupFailed` otherwise, which fails the step and with it
 * the migration. The tables are the stored plan's (PlanBinding), never the message's.
 */
@Controller()
export class BackupHandler {
  private readonly logger = new Logger(BackupHandler.name);

  constructor(
    private readonly binding: PlanBinding,
    private readonly log: VerificationLog,
  ) {}

  @CommandHandler(TakeBackup)
  async take(@Payload() message: Command, @Ctx() ctx?: JetStreamContext): Promise<void> {
    const command = await this.binding.bind(TakeBackup, message);
    if (!command) return;
    const metadata = ctx?.getMetadata() ?? {};
    if (await this.log.alreadyAnswered(command.migrationId, command.commandId, [BackupTaken.name, BackupFailed.name])) return;
    const fact = { migrationId: command.migrationId, stepId: command.stepId, target: command.target };
    try {
      const envName = targetUrlEnvName(command.target);
      const targetUrl = process.env[envName];
      if (!targetUrl) throw new TargetNotConfiguredError(command.target, envName);
      const taken = await takeBackup({ migrationId: command.migrationId, stepId: command.stepId, targetUrl, tables: command.tables });
      const data: MessageData<typeof BackupTaken> = {
        ...fact,
        path: taken.path,
        sizeBytes: taken.sizeBytes,
        format: 'custom',
        tables: taken.tables,
        restoreCheck: taken.restoreCheck,
        durationMs: taken.durationMs,
      };
      await this.log.record(command.migrationId, command.commandId, BackupTaken.name, data, metadata);
    } catch (error) {
      const failure = verificationFailureOf(error);
      this.logger.warn(`backup step ${command.stepId} of ${command.migrationId} failed: ${failure.message}`);
      const data: MessageData<typeof BackupFailed> = { ...fact, ...failure, ...(error instanceof BackupMismatchError ? { tables: error.tables } : {}) };
      await this.log.record(command.migrationId, command.commandId, BackupFailed.name, data, metadata);
    }
  }
}
