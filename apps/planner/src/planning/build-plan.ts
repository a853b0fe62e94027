import type { MigrationPlan, MigrationSpec, PlanRisk, PlannedStep, PlannedTable } from '@bascule/contracts';
import { executionOrder } from '@bascule/migration-spec';
import { stepKind } from '@bascule/contracts';
import { backfills, backfillSeconds } from './backfill-estimate';
import { backupProposals } from './backup-proposal';
import { contractApproval } from './contract-gate';
import { basculeRisks } from './plan-risks';
import { stepCompensation } from './step-compensation';
import { stepTables } from './step-tables';

/** Lint findings of each step, keyed by its path (`phases[0].steps[1]`). */
export type StepFindings = Map<string, PlanRisk[]>;

/**
 * The plan `POST /migrations` answers: phases and waves, each step's compensation, tables,
 * estimate and risks. Pure: introspection, linting and the api steps' contract diffs (`contract`)
 * happen before, at the edge.
 */
export function buildPlan(spec: MigrationSpec, tables: PlannedTable[], findings: StepFindings, contract: StepFindings = new Map()): MigrationPlan {
  const byName = new Map(tables.map((table) => [table.table, table]));
  const waves = executionOrder(spec);
  const proposals = backupProposals(spec);
  const phases = spec.phases.map((phase, phaseIndex) => ({
    name: phase.name,
    steps: phase.steps.map((step, stepIndex): PlannedStep => {
      const path = `phases[${phaseIndex}].steps[${stepIndex}]`;
      const touched = stepTables(step);
      const known = touched.map((name) => byName.get(name)).filter((table): table is PlannedTable => table?.exists === true);
      const rows = known.length === 0 ? null : known.reduce((sum, table) => sum + (table.rows ?? 0), 0);
      const contractRisks = contract.get(path) ?? [];
      const requiresApproval = contractApproval(step, contractRisks);
      return {
        id: step.id,
        kind: stepKind(step),
        dependsOn: step.dependsOn ?? [],
        wave: Math.max(0, waves[phaseIndex]?.waves.findIndex((wave) => wave.includes(step.id)) ?? 0),
        summary: summarize(step, contractRisks),
        compensation: stepCompensation(step),
        tables: touched,
        estimate: { rows, backfillSeconds: backfills(step) ? backfillSeconds(rows) : null },
        risks: [...basculeRisks(step, path, known), ...(proposals.get(path) ?? []), ...contractRisks, ...(findings.get(path) ?? [])],
        ...(requiresApproval ? { requiresApproval } : {}),
      };
    }),
  }));
  const steps = phases.flatMap((phase) => phase.steps);
  const seconds = steps.map((step) => step.estimate.backfillSeconds).filter((value): value is number => value !== null);
  return {
    phases,
    tables: tables.filter((table) => table.exists),
    risks: steps.flatMap((step) => step.risks),
    estimatedSeconds: seconds.length === 0 ? null : seconds.reduce((sum, value) => sum + value, 0),
  };
}

function summarize(step: MigrationSpec['phases'][number]['steps'][number], contractRisks: readonly PlanRisk[]): string {
  if (step.schema) return `schema (${step.schema.schema}): ${(step.schema.operations ?? []).map((operation) => Object.keys(operation)[0]).join(', ')}`;
  if (step.sql) return `sql: ${step.sql.up.trim().split('\n')[0]?.slice(0, 120) ?? ''}`;
  if (step.verify) {
    const parts = [step.verify.tables ? `tables ${step.verify.tables.join(', ')}` : null, step.verify.invariants ? `${step.verify.invariants.length} invariant(s)` : null];
    return `verify: ${parts.filter(Boolean).join(', ')}`;
  }
  if (step.api) return apiSummary(step.api, contractRisks);
  if (step.backup) return `backup: ${step.backup.tables.join(', ')} (pg_dump custom format to BASCULE_BACKUP_DIR, restored into a scratch database and checksummed)`;
  if (step.analysis) return `analysis for ${step.analysis.duration}: ${step.analysis.metrics ? step.analysis.metrics.join(', ') : 'every monitor metric'}`;
  return `approval${step.approval?.approvers ? ` by ${step.approval.approvers.join(', ')}` : ''}`;
}

/** `api shop: v1 → v2 (embedded router), canary 5/25/50/100 % every 30s; contract: 1 error, 0 warnings, 2 info (breaking: block)`. */
function apiSummary(api: NonNullable<MigrationSpec['phases'][number]['steps'][number]['api']>, contractRisks: readonly PlanRisk[]): string {
  const count = (severity: PlanRisk['severity']) => contractRisks.filter((risk) => risk.severity === severity).length;
  const contract = contractRisks.length === 0 ? 'contract unchanged' : `contract: ${count('error')} error, ${count('warning')} warning, ${count('info')} info`;
  return `api ${api.service}: ${api.from.version} → ${api.to.version} (${api.router.kind} router), canary ${api.canary.steps.join('/')} % every ${api.canary.interval}; ${contract} (breaking: ${api.breaking})`;
}
