import type { MigrationStep, PlanRisk, PlannedTable } from '@bascule/contracts';
import type { LintFinding } from '@bascule/schema-engine';

/** Bascule's own rules: what would make a step unsafe to run or to roll back. */
export function basculeRisks(step: MigrationStep, path: string, tables: PlannedTable[]): PlanRisk[] {
  const risks: PlanRisk[] = [];
  if (step.sql?.irreversible) {
    risks.push({
      rule: 'irreversible-step',
      severity: 'warning',
      message: `step "${step.id}" has no down: once it ran, a rollback of this migration is refused`,
      path: `${path}.sql`,
      suggestion: 'give the SQL that undoes up as down, or split the irreversible part into a later migration',
    });
  }
  for (const table of tables) {
    // A dump needs no key: only backfills and verification do.
    if (table.primaryKey.length > 0 || step.backup) continue;
    risks.push({
      rule: 'table-without-primary-key',
      severity: 'warning',
      message: `${table.table} has no primary key: backfills cannot batch it and verification cannot name the rows that differ`,
      path,
      suggestion: `add a primary key to ${table.table} first`,
    });
  }
  const existing = new Set(tables.map((table) => table.table));
  for (const [index, table] of (step.verify?.tables ?? []).entries()) {
    const name = table.includes('.') ? table : `public.${table}`;
    if (existing.has(name)) continue;
    risks.push({
      rule: 'verify-table-not-baselined',
      severity: 'warning',
      message: `${name} does not exist on the target yet, so it has no pre-migration baseline to verify against: the step will error`,
      path: `${path}.verify.tables[${index}]`,
      suggestion: 'verify tables the migration creates with invariants instead',
    });
  }
  for (const [index, table] of (step.backup?.tables ?? []).entries()) {
    const name = table.includes('.') ? table : `public.${table}`;
    if (existing.has(name)) continue;
    risks.push({
      rule: 'backup-table-missing',
      severity: 'warning',
      message: `${name} does not exist on the target: pg_dump will refuse the backup step (--strict-names) and the migration will fail there`,
      path: `${path}.backup.tables[${index}]`,
    });
  }
  return risks;
}

/** A squawk finding as a plan risk, located in the spec (`phases[0].steps[1].sql.up`, line 3). */
export function lintRisk(finding: LintFinding, path: string): PlanRisk {
  return {
    rule: finding.rule,
    severity: finding.level,
    message: `line ${finding.line}: ${finding.message}`,
    path,
    ...(finding.help ? { suggestion: finding.help } : {}),
  };
}
