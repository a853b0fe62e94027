import { Injectable } from '@nestjs/common';
import { RollbackRehearsed } from '@bascule/contracts';
import type { MigrationState } from '@bascule/orchestration';
import { Client } from 'pg';
import { InvalidStatusError, PlannerError } from '../http/planner.errors';
import { MigrationStore } from '../migrations/migration-store.service';
import { targetUrlOf } from '../planning/migration-planner.service';
import { splitTable } from '../planning/qualified-table';
import { runBack, runForward, stepsInRunOrder, type StepCheck } from './rehearse-steps';
import { copySampledRows, tableChecksums } from './sample-rows';
import { createScratchDatabase } from './scratch-database';
import { dumpSchemas } from './schema-dump';

/** Rows copied per table: enough to exercise backfills and triggers, small enough to stay quick. */
export const REHEARSAL_SAMPLE_ROWS = 1_000;

/**
 * `POST /migrations/:id/rehearse`: the whole migration forward and back on a scratch copy of the
 * target's schema with sampled rows, then proof that the schema and rows are what they were.
 * Records `RollbackRehearsed` (what each check proved); `start` of a `rehearse: true` spec waits for a passed one.
 */
@Injectable()
export class RehearsalService {
  constructor(private readonly store: MigrationStore) {}

  async rehearse(id: string, actor: string) {
    const state = await this.store.state(id);
    if (state.status !== 'planned') throw new InvalidStatusError('rehearse', state.status, ['planned']);
    const targetUrl = targetUrlOf(state.target);
    const began = Date.now();
    const scratch = await createScratchDatabase(targetUrl).catch((error: unknown) => {
      throw new PlannerError('REHEARSAL_UNAVAILABLE', `could not create a scratch database next to target "${state.target}": ${(error as Error).message}`, 502, undefined, { cause: error });
    });
    let result: { checks: StepCheck[]; sampledRows: number };
    try {
      result = await this.run(state, targetUrl, scratch.url);
    } finally {
      await scratch.drop().catch(() => undefined);
    }
    const passed = result.checks.every((check) => check.passed);
    const data = RollbackRehearsed.schema.parse({ migrationId: id, passed, scratchDatabase: scratch.name, sampledRows: result.sampledRows, checks: result.checks, durationMs: Date.now() - began });
    await this.store.append(id, [{ type: RollbackRehearsed.name, data, metadata: { actor, correlationId: id } }], state.version);
    return data;
  }

  private async run(state: MigrationState, targetUrl: string, scratchUrl: string): Promise<{ checks: StepCheck[]; sampledRows: number }> {
    const tables = state.plan.tables.filter((table) => table.exists).map((table) => table.table);
    const schemas = [...new Set([...tables.map((table) => splitTable(table).schema), ...stepsInRunOrder(state.spec).flatMap((step) => (step.schema ? [step.schema.schema] : []))])];
    const source = await dumpSchemas(targetUrl, schemas);
    const checks: StepCheck[] = [];
    const scratch = new Client({ connectionString: scratchUrl });
    const target = new Client({ connectionString: targetUrl });
    await Promise.all([scratch.connect(), target.connect()]);
    try {
      for (const schema of schemas) await scratch.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
      // The schemas exist already (public always does): the dump's CREATE SCHEMA must not fail on them.
      await scratch.query(source.replace(/^CREATE SCHEMA (?!IF NOT EXISTS)/gm, 'CREATE SCHEMA IF NOT EXISTS '));
      const sampledRows = await copySampledRows(target, scratch, tables, REHEARSAL_SAMPLE_ROWS);
      const before = { schema: await dumpSchemas(scratchUrl, schemas), rows: await tableChecksums(scratch, tables) };
      const ran = await this.forwardAndBack(state, scratchUrl, checks);
      if (ran) {
        const after = { schema: await dumpSchemas(scratchUrl, schemas), rows: await tableChecksums(scratch, tables) };
        checks.push({ name: 'schema restored identically', passed: after.schema === before.schema, detail: after.schema === before.schema ? `pg_dump --schema-only of ${schemas.join(', ')} equal before and after` : 'pg_dump --schema-only differs after the rollback' });
        const differing = tables.filter((table) => before.rows[table] !== after.rows[table]);
        checks.push({ name: 'rows equal after rollback', passed: differing.length === 0, detail: differing.length === 0 ? `${tables.length} table(s) checksum-equal` : `rows differ in ${differing.join(', ')}` });
      }
      return { checks, sampledRows };
    } finally {
      await Promise.all([scratch.end(), target.end()]);
    }
  }

  /** Forward in run order, then back in reverse; every step that ran is undone even when a later one fails. */
  private async forwardAndBack(state: MigrationState, url: string, checks: StepCheck[]): Promise<boolean> {
    const done: ReturnType<typeof stepsInRunOrder> = [];
    let ok = true;
    for (const step of stepsInRunOrder(state.spec)) {
      try {
        await runForward(url, step);
        done.push(step);
      } catch (error) {
        checks.push({ name: `forward ${step.id}`, passed: false, detail: (error as Error).message });
        ok = false;
        break;
      }
    }
    if (ok) checks.push({ name: 'forward run', passed: true, detail: `${done.length} step(s) ran on the scratch copy` });
    for (const step of [...done].reverse()) {
      try {
        await runBack(url, step);
      } catch (error) {
        checks.push({ name: `rollback ${step.id}`, passed: false, detail: (error as Error).message });
        return false;
      }
    }
    if (done.length > 0) checks.push({ name: 'rollback run', passed: true, detail: `${done.length} step(s) undone in reverse order` });
    return ok;
  }
}
