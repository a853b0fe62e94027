import { Injectable } from '@nestjs/common';
import { targetUrlEnvName, type MigrationPlan, type MigrationSpec } from '@bascule/contracts';
import { InvalidMigrationSpecError } from '@bascule/migration-spec';
import { lintMigration, lintSql, parseMigration } from '@bascule/schema-engine';
import { Client } from 'pg';
import { BreakingContractChangesError, PlannerError, TargetNotConfiguredError } from '../http/planner.errors';
import { apiContractFindings } from './api-contract-risks';
import { buildPlan, type StepFindings } from './build-plan';
import { blockedContractChanges } from './contract-gate';
import { liveSchemaProblems, sharedSchemaProblems } from './live-schema-checks';
import { lintRisk } from './plan-risks';
import { loadRelationParser } from './sql-relations';
import { stepTables } from './step-tables';
import { introspectTables } from './target-introspection';

/** The target's connection, from the planner's environment only (never from a spec or an event). */
export function targetUrlOf(target: string, env: NodeJS.ProcessEnv = process.env): string {
  const envName = targetUrlEnvName(target);
  const url = env[envName];
  if (!url) throw new TargetNotConfiguredError(target, envName);
  return url;
}

/**
 * Plans a valid spec against its live target without changing it: the api steps' contract gate,
 * engine validation of every schema step, introspection of the tables touched, squawk on sql
 * steps, then the pure plan.
 */
@Injectable()
export class MigrationPlanner {
  async plan(spec: MigrationSpec): Promise<MigrationPlan> {
    const url = targetUrlOf(spec.target);
    const shared = sharedSchemaProblems(spec);
    if (shared.length > 0) throw new InvalidMigrationSpecError(shared);
    // Before the target is touched: a blocked contract change refuses the plan whatever the database says.
    const contract = await apiContractFindings(spec);
    const blocked = blockedContractChanges(spec, contract);
    if (blocked.length > 0) throw new BreakingContractChangesError(blocked);
    await loadRelationParser();
    const client = new Client({ connectionString: url, application_name: 'bascule-planner' });
    try {
      await client.connect();
    } catch (error) {
      throw new PlannerError('TARGET_UNREACHABLE', `target "${spec.target}" is unreachable (${(error as { code?: string }).code ?? 'connection failed'}): check ${targetUrlEnvName(spec.target)}`, 502, undefined, { cause: error });
    }
    try {
      const live = await liveSchemaProblems(spec, url);
      if (live.length > 0) throw new InvalidMigrationSpecError(live);
      const touched = [...new Set(spec.phases.flatMap((phase) => phase.steps.flatMap(stepTables)))];
      const tables = await introspectTables(client, touched);
      const version = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      const pgVersion = String(Math.floor(Number(version.rows[0]?.v ?? 150000) / 10000));
      return buildPlan(spec, tables, await lintFindings(spec, pgVersion), contract);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function lintFindings(spec: MigrationSpec, pgVersion: string): Promise<StepFindings> {
  const findings: StepFindings = new Map();
  for (const [phaseIndex, phase] of spec.phases.entries()) {
    for (const [stepIndex, step] of phase.steps.entries()) {
      const path = `phases[${phaseIndex}].steps[${stepIndex}]`;
      if (step.sql) {
        // The agent runs up and verify in one transaction, so squawk judges it as such.
        const found = await lintSql(step.sql.up, { pgVersion, assumeInTransaction: true });
        findings.set(path, found.map((finding) => lintRisk(finding, `${path}.sql.up`)));
      } else if (step.schema) {
        // Only the author's own `sql` operations: the engine builds the others the safe way.
        const body = { ...(step.schema.version_schema ? { version_schema: step.schema.version_schema } : {}), operations: step.schema.operations ?? [] };
        const found = await lintMigration(parseMigration(body, step.id, 'json'), pgVersion);
        findings.set(path, found.map((finding) => lintRisk(finding, `${path}.schema.${finding.path}`)));
      }
    }
  }
  return findings;
}
