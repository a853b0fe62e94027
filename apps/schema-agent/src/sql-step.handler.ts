import { Controller, Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApplySqlStep, RevertSqlStep, SqlStepApplied, SqlStepFailed, SqlStepReverted, type MessageData } from '@bascule/contracts';
import { busTopology, CommandHandler, type BusTopology } from '@bascule/messaging';
import { PlanBinding } from '@bascule/plan-binding';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import { DatabaseError, type PoolClient, type QueryResult } from 'pg';
import type { Pool } from 'pg';
import { inStepTransaction, type LedgerRow } from './sql-step-ledger';
import { SqlStepPools } from './sql-step-pools';
import { StepEventLog } from './step-event-log';
import { targetUrl } from './target-url';

/**
 * The ledger row written with the step's SQL makes a redelivered command run nothing again, and the
 * step events have ids derived from the command: the processed-message store would only repeat that.
 */
const BY_LEDGER = { idempotentByItself: true };

type Apply = MessageData<typeof ApplySqlStep>;
type Revert = MessageData<typeof RevertSqlStep>;
type FailurePhase = 'apply' | 'verify' | 'revert';

/** The step's own SQL failed in Postgres (not a lock wait: those are retried). */
class SqlPhaseError extends Error {
  constructor(
    readonly phase: FailurePhase,
    readonly pgError: unknown,
  ) {
    super(pgError instanceof Error ? pgError.message : String(pgError));
  }
}

/**
 * Runs `sql` steps (Sqitch-style up / verify / down) on their targets, as the stored plan has them
 * (PlanBinding: the message only names the step). `up` and `verify` share one
 * transaction, so a failing verify leaves nothing applied; the ledger row written in that same
 * transaction makes apply and revert exactly-once on the target whatever the bus redelivers.
 */
@Controller()
export class SqlStepHandler implements OnApplicationShutdown {
  private readonly logger = new Logger(SqlStepHandler.name);
  private readonly targets = new SqlStepPools();
  private readonly relay: { nc: NatsConnection; topology: BusTopology };

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    private readonly binding: PlanBinding,
  ) {
    this.relay = { nc, topology: busTopology() };
  }

  /** Runs after the transport stopped (so no step is mid-flight): closes the target pools. */
  async onApplicationShutdown(): Promise<void> {
    await this.targets.end();
  }

  @CommandHandler(ApplySqlStep, BY_LEDGER)
  async apply(@Payload() message: Apply): Promise<void> {
    const command = await this.binding.bind(ApplySqlStep, message);
    if (!command) return;
    const log = new StepEventLog(this.pool, command.migrationId, command.commandId, this.relay);
    await this.run(command, 'apply', log, async (client) => {
      const outcome = await inStepTransaction(client, command, async (done) => {
        // Already applied (a redelivery after COMMIT), or reverted before it ever ran: run nothing.
        if (done.has('apply') || done.has('revert')) return { value: { ledger: done.get('apply') ?? null, supersededByRevert: !done.has('apply') } };
        const began = Date.now();
        const result = await inPhase('apply', () => client.query(command.up));
        if (command.verify) await inPhase('verify', () => client.query(command.verify as string));
        const ledger: LedgerRow = { action: 'apply', ran: true, durationMs: Date.now() - began, rowsAffected: rowsAffectedBy(result) };
        return { value: { ledger, supersededByRevert: false }, record: ledger };
      });
      if (outcome.supersededByRevert || !outcome.ledger) {
        await log.record('failed:apply', SqlStepFailed.name, {
          ...factOf(command),
          phase: 'apply',
          code: 'superseded_by_rollback',
          message: `step "${command.stepId}" was reverted before it was applied; nothing ran`,
          pgCode: null,
        });
        return;
      }
      await log.record('applied', SqlStepApplied.name, { ...factOf(command), durationMs: outcome.ledger.durationMs, rowsAffected: outcome.ledger.rowsAffected });
    });
  }

  @CommandHandler(RevertSqlStep, BY_LEDGER)
  async revert(@Payload() message: Revert): Promise<void> {
    const command = await this.binding.bind(RevertSqlStep, message);
    if (!command) return;
    const log = new StepEventLog(this.pool, command.migrationId, command.commandId, this.relay);
    await this.run(command, 'revert', log, async (client) => {
      const ledger = await inStepTransaction(client, command, async (done) => {
        const reverted = done.get('revert');
        if (reverted) return { value: reverted };
        const began = Date.now();
        // An apply that never ran (still queued, or failed and rolled back) has nothing to undo; the
        // revert row also stops that queued apply from running later.
        const applied = done.get('apply')?.ran === true;
        if (applied) await inPhase('revert', () => client.query(command.down));
        const row: LedgerRow = { action: 'revert', ran: applied, durationMs: Date.now() - began, rowsAffected: null };
        return { value: row, record: row };
      });
      await log.record('reverted', SqlStepReverted.name, { ...factOf(command), durationMs: ledger.durationMs });
    });
  }

  private async run(command: Apply | Revert, phase: 'apply' | 'revert', log: StepEventLog, work: (client: PoolClient) => Promise<void>): Promise<void> {
    try {
      await this.targets.withClient(targetUrl(command.target), work);
    } catch (error) {
      const failure = failureOf(error, phase);
      this.logger.warn(`sql ${failure.phase} of ${command.migrationId}/${command.stepId} failed: ${failure.message}`);
      await log.record(`failed:${failure.phase}`, SqlStepFailed.name, { ...factOf(command), ...failure });
    }
  }
}

async function inPhase<T>(phase: FailurePhase, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Lock waits are retried by inStepTransaction, so they pass through untouched.
    if (error instanceof DatabaseError && (error.code === '55P03' || error.code === '40P01')) throw error;
    throw new SqlPhaseError(phase, error);
  }
}

function rowsAffectedBy(result: QueryResult | QueryResult[]): number | null {
  const results = Array.isArray(result) ? result : [result];
  const counts = results.map((r) => r.rowCount).filter((count): count is number => typeof count === 'number');
  return counts.length === 0 ? null : counts.reduce((sum, count) => sum + count, 0);
}

function failureOf(error: unknown, phase: 'apply' | 'revert'): { phase: FailurePhase; code: string; message: string; pgCode: string | null } {
  if (error instanceof SqlPhaseError) {
    const pgCode = error.pgError instanceof DatabaseError ? (error.pgError.code ?? null) : null;
    const code = error.phase === 'verify' ? 'sql_verify_failed' : error.phase === 'revert' ? 'sql_revert_failed' : 'sql_failed';
    return { phase: error.phase, code, message: error.message, pgCode };
  }
  const coded = error as { code?: unknown };
  const pgCode = error instanceof DatabaseError ? (error.code ?? null) : null;
  const code = typeof coded?.code === 'string' && pgCode === null ? coded.code : 'UNEXPECTED_ERROR';
  return { phase, code, message: error instanceof Error ? error.message : String(error), pgCode };
}

function factOf(command: Apply | Revert): { migrationId: string; stepId: string; target: string } {
  return { migrationId: command.migrationId, stepId: command.stepId, target: command.target };
}
