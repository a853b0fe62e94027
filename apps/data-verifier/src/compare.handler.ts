import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CompareWithBaselines, DataCompared, VerificationErrored, type EquivalenceCheck, type MessageData, type TableComparison } from '@bascule/contracts';
import { ColumnNotFoundError, compareWithBaseline, verifyColumnEquivalence } from '@bascule/data-verification';
import { CommandHandler, type JetStreamContext } from '@bascule/messaging';
import { duplicateColumnName } from '@bascule/schema-engine';
import type { Pool } from 'pg';
import { baselinesLabelled } from './baseline-lookup';
import { tablePasses, toTableComparison } from './table-comparison';
import { parseTableRef } from './table-ref';
import { TargetPools } from './target-pools';
import { VerificationLog } from './verification-log';
import { verificationFailureOf } from './verification-failure';

type Command = MessageData<typeof CompareWithBaselines>;

/**
 * `verify.compare`: every table of the `against` baseline recomputed now and compared (naming the
 * keys that differ), plus new = up(old) for each column a backfill filled. Records `DataCompared`.
 */
@Controller()
export class CompareHandler {
  private readonly logger = new Logger(CompareHandler.name);

  constructor(
    private readonly targets: TargetPools,
    private readonly log: VerificationLog,
  ) {}

  @CommandHandler(CompareWithBaselines)
  async compare(@Payload() command: Command, @Ctx() ctx?: JetStreamContext): Promise<void> {
    const metadata = ctx?.getMetadata() ?? {};
    if (await this.log.alreadyAnswered(command.migrationId, command.commandId, [DataCompared.name, VerificationErrored.name])) return;
    const began = Date.now();
    try {
      const pool = this.targets.get(command.target);
      const summaries = baselinesLabelled(await this.log.events(command.migrationId), command.against);
      const tables: TableComparison[] = [];
      for (const summary of summaries) {
        tables.push(toTableComparison(summary.table, await compareWithBaseline(pool, summary.baseline as never)));
      }
      const equivalence = [];
      for (const check of command.equivalence) equivalence.push(await equivalenceOf(pool, check, command.sample));
      const passed = tables.every((table) => tablePasses(table, command.mode)) && equivalence.every((result) => result.mismatchedRows === 0);
      await this.log.record(
        command.migrationId,
        command.commandId,
        DataCompared.name,
        { migrationId: command.migrationId, label: command.label, against: command.against, mode: command.mode, passed, tables, equivalence, durationMs: Date.now() - began },
        metadata,
      );
    } catch (error) {
      const failure = verificationFailureOf(error);
      this.logger.warn(`compare ${command.label} of ${command.migrationId} errored: ${failure.message}`);
      await this.log.record(
        command.migrationId,
        command.commandId,
        VerificationErrored.name,
        { migrationId: command.migrationId, command: 'verify.compare', label: command.label, stepId: null, ...failure },
        metadata,
      );
    }
  }
}

/**
 * While an alter_column is expanded the new shape lives in the schema engine's duplicate column
 * (`duplicateColumnName`), next to the original that `up` reads: that pair is what the backfill filled.
 */
async function equivalenceOf(pool: Pool, check: EquivalenceCheck, sample: number | 'full') {
  const ref = parseTableRef(check.table);
  const newColumn = duplicateColumnName(check.column);
  const result = { table: check.table, column: check.column, stepId: check.stepId };
  try {
    const report = await verifyColumnEquivalence(pool, { ...ref, oldColumn: check.column, newColumn, up: check.up, sample });
    return { ...result, checkedRows: report.checkedRows, mismatchedRows: report.mismatchedRows, examples: report.examples };
  } catch (error) {
    // A change made in place (a comment) has no duplicate column: no backfill ran, nothing to check.
    const onlyDuplicateMissing = error instanceof ColumnNotFoundError && error.columns.length === 1 && error.columns[0] === newColumn;
    if (!onlyDuplicateMissing) throw error;
    return { ...result, checkedRows: 0, mismatchedRows: 0, examples: [{ skipped: `no column ${newColumn}: the operation did not rewrite ${check.column}` }] };
  }
}
