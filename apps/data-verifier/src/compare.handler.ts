import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CompareWithBaselines, DataCompared, VerificationErrored, type EquivalenceCheck, type MessageData, type TableComparison } from '@bascule/contracts';
import { ColumnNotFoundError, compareWithBaseline, fingerprintDifferences, schemaFingerprint, verifyColumnEquivalence, type SchemaFingerprint } from '@bascule/data-verification';
import { CommandHandler, type JetStreamContext } from '@bascule/messaging';
import { PlanBinding } from '@bascule/plan-binding';
import { duplicateColumnName } from '@bascule/schema-engine';
import type { Pool } from 'pg';
import { baselinesLabelled, baselineTakenLabelled } from './baseline-lookup';
import { tablePasses, toTableComparison } from './table-comparison';
import { parseTableRef } from './table-ref';
import { TargetPools } from './target-pools';
import { VerificationLog } from './verification-log';
import { verificationFailureOf } from './verification-failure';

type Command = MessageData<typeof CompareWithBaselines>;

/**
 * `verify.compare`: every table of the `against` baseline recomputed now and compared (naming the
 * keys that differ), plus new = up(old) for each column a backfill filled. Records `DataCompared`.
 * Only a comparison the migration asked for runs (a phase's check, its restoration check), with the
 * plan's `up` expressions (PlanBinding): the message's own SQL never reaches the target.
 */
@Controller()
export class CompareHandler {
  private readonly logger = new Logger(CompareHandler.name);

  constructor(
    private readonly binding: PlanBinding,
    private readonly targets: TargetPools,
    private readonly log: VerificationLog,
  ) {}

  @CommandHandler(CompareWithBaselines)
  async compare(@Payload() message: Command, @Ctx() ctx?: JetStreamContext): Promise<void> {
    const command = await this.binding.bind(CompareWithBaselines, message);
    if (!command) return;
    const metadata = ctx?.getMetadata() ?? {};
    if (await this.log.alreadyAnswered(command.migrationId, command.commandId, [DataCompared.name, VerificationErrored.name])) return;
    const began = Date.now();
    try {
      const pool = this.targets.get(command.target);
      const events = await this.log.events(command.migrationId);
      const summaries = baselinesLabelled(events, command.against);
      const tables: TableComparison[] = [];
      for (const summary of summaries) {
        tables.push(toTableComparison(summary.table, await compareWithBaseline(pool, summary.baseline as never)));
      }
      const equivalence = [];
      for (const check of command.equivalence) equivalence.push(await equivalenceOf(pool, check, command.sample));
      const schema = command.schema ? await schemaAgainst(pool, baselineTakenLabelled(events, command.against).schema as SchemaFingerprint | undefined) : undefined;
      const passed =
        tables.every((table) => tablePasses(table, command.mode)) && equivalence.every((result) => result.mismatchedRows === 0) && (schema?.equal ?? true);
      await this.log.record(
        command.migrationId,
        command.commandId,
        DataCompared.name,
        {
          migrationId: command.migrationId,
          label: command.label,
          against: command.against,
          mode: command.mode,
          passed,
          tables,
          equivalence,
          ...(schema ? { schema } : {}),
          durationMs: Date.now() - began,
        },
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
 * The catalog shape now against the baseline's fingerprint. A baseline recorded before fingerprints
 * existed has none: the comparison says so instead of passing the schema unseen.
 */
async function schemaAgainst(pool: Pool, baseline: SchemaFingerprint | undefined): Promise<{ equal: boolean; differences: string[] }> {
  if (!baseline) return { equal: false, differences: ['the baseline holds no schema fingerprint (taken by an older version): the shape cannot be checked'] };
  const differences = fingerprintDifferences(baseline, await schemaFingerprint(pool, baseline.tables.map((table) => splitTableName(table.table))));
  return { equal: differences.length === 0, differences };
}

function splitTableName(name: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return { schema: name.slice(0, dot), table: name.slice(dot + 1) };
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
