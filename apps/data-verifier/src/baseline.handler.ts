import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { BaselineTaken, TakeBaselines, VerificationErrored, type MessageData } from '@bascule/contracts';
import { NoKeyError, schemaFingerprint, takeBaseline, type Baseline } from '@bascule/data-verification';
import { CommandHandler, type JetStreamContext } from '@bascule/messaging';
import { PlanBinding } from '@bascule/plan-binding';
import type { Pool } from 'pg';
import { parseTableRef } from './table-ref';
import { TargetPools } from './target-pools';
import { VerificationLog } from './verification-log';
import { verificationFailureOf } from './verification-failure';

type Command = MessageData<typeof TakeBaselines>;

/**
 * `verify.baseline`: row count and key-range checksums of each table, and the schema fingerprint of
 * the `fingerprint` tables, recorded as `BaselineTaken`.
 * The tables are the plan's, for the baseline its phase asked for (PlanBinding), never the message's.
 */
@Controller()
export class BaselineHandler {
  private readonly logger = new Logger(BaselineHandler.name);

  constructor(
    private readonly binding: PlanBinding,
    private readonly targets: TargetPools,
    private readonly log: VerificationLog,
  ) {}

  @CommandHandler(TakeBaselines)
  async takeBaselines(@Payload() message: Command, @Ctx() ctx?: JetStreamContext): Promise<void> {
    const command = await this.binding.bind(TakeBaselines, message);
    if (!command) return;
    const metadata = ctx?.getMetadata() ?? {};
    if (await this.log.alreadyAnswered(command.migrationId, command.commandId, [BaselineTaken.name, VerificationErrored.name])) return;
    const began = Date.now();
    try {
      const pool = this.targets.get(command.target);
      const tables = [];
      for (const table of command.tables) {
        const baseline = await baselineOfTable(pool, table);
        tables.push({ table, rowCount: baseline.rowCount, segments: baseline.segments.length, baseline });
      }
      // The catalog shape of every table the migration touches: what a restoration check compares beside the rows.
      const schema = command.fingerprint.length > 0 ? await schemaFingerprint(pool, command.fingerprint.map(parseTableRef)) : undefined;
      const data = { migrationId: command.migrationId, label: command.label, tables, ...(schema ? { schema } : {}), durationMs: Date.now() - began };
      await this.log.record(command.migrationId, command.commandId, BaselineTaken.name, data, metadata);
    } catch (error) {
      const failure = verificationFailureOf(error);
      this.logger.warn(`baseline ${command.label} of ${command.migrationId} errored: ${failure.message}`);
      await this.log.record(
        command.migrationId,
        command.commandId,
        VerificationErrored.name,
        { migrationId: command.migrationId, command: 'verify.baseline', label: command.label, stepId: null, ...failure },
        metadata,
      );
    }
  }
}

/** Row-level when the table has a key, so a later comparison names the keys that differ; one checksum otherwise. */
async function baselineOfTable(pool: Pool, name: string): Promise<Baseline> {
  const ref = parseTableRef(name);
  try {
    return await takeBaseline(pool, { ...ref, mode: 'rows' });
  } catch (error) {
    if (!(error instanceof NoKeyError)) throw error;
    return takeBaseline(pool, { ...ref, mode: 'segments' });
  }
}
