import type { MigrationSpec, MigrationStep, PlanRisk } from '@bascule/contracts';
import { parseSync } from 'libpg-query';
import { qualifiedTable } from './qualified-table';
import { sqlRelations } from './sql-relations';
import { stepTables } from './step-tables';

/** Operations of a schema step whose data is gone once the migration completes. */
const DROPS: Record<string, string> = { drop_table: 'name', drop_column: 'table' };

/**
 * Where an irreversible step (a sql step with `irreversible: true`, a schema step that drops a table
 * or a column) runs without a backup of what it touches taken before it — by a backup step of an
 * earlier phase, or of its own phase that it depends on — the plan proposes one: a warning on that
 * step, keyed by its path, naming the tables to dump. Tables a sql step touches come from its
 * parse tree; when none can be told, every table the migration names is proposed.
 */
export function backupProposals(spec: MigrationSpec): Map<string, PlanRisk[]> {
  const proposals = new Map<string, PlanRisk[]>();
  const everyTable = [...new Set(spec.phases.flatMap((phase) => phase.steps.flatMap(stepTables)))];
  for (const [phaseIndex, phase] of spec.phases.entries()) {
    for (const [stepIndex, step] of phase.steps.entries()) {
      const touched = irreversiblyTouched(step);
      if (touched === null) continue;
      const covered = backedUpBefore(spec, phaseIndex, step);
      const known = touched.length > 0;
      const missing = known ? touched.filter((table) => !covered.has(table)) : covered.size > 0 ? [] : everyTable;
      if (missing.length === 0 && (known || covered.size > 0)) continue;
      const what = step.sql ? 'is declared irreversible' : 'drops data a rollback after complete cannot bring back';
      const path = `phases[${phaseIndex}].steps[${stepIndex}]`;
      const tables = missing.length > 0 ? missing : ['<the tables it changes>'];
      proposals.set(path, [
        {
          rule: 'backup-before-irreversible',
          severity: 'warning',
          message: `step "${step.id}" ${what} and no backup step before it covers ${tables.join(', ')}${known ? '' : ' (its tables could not be told from its SQL: every table the migration names is proposed)'}`,
          path,
          suggestion: `add {id: backup-before-${step.id}, backup: {tables: [${tables.join(', ')}]}} to an earlier phase, or to this one with "${step.id}" depending on it`,
        },
      ]);
    }
  }
  return proposals;
}

/** The tables an irreversible step touches (empty: unknown), or null for a step a rollback can undo. */
function irreversiblyTouched(step: MigrationStep): string[] | null {
  if (step.sql?.irreversible) return [...new Set([...sqlRelations(step.sql.up), ...droppedTables(step.sql.up)])];
  if (!step.schema) return null;
  const dropped: string[] = [];
  for (const operation of step.schema.operations ?? []) {
    for (const [kind, body] of Object.entries(operation)) {
      const field = DROPS[kind];
      const name = field && typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
      if (typeof name === 'string') dropped.push(qualifiedTable(name, step.schema.schema));
    }
  }
  return dropped.length > 0 ? [...new Set(dropped)] : null;
}

/** Tables dumped by backup steps that surely ran before `step`: earlier phases, and the ones of its phase it depends on (transitively). */
function backedUpBefore(spec: MigrationSpec, phaseIndex: number, step: MigrationStep): Set<string> {
  const covered = new Set<string>();
  const add = (backup: MigrationStep) => backup.backup?.tables.forEach((table) => covered.add(qualifiedTable(table)));
  spec.phases.slice(0, phaseIndex).forEach((phase) => phase.steps.forEach(add));
  const own = new Map((spec.phases[phaseIndex]?.steps ?? []).map((candidate) => [candidate.id, candidate]));
  const seen = new Set<string>();
  const visit = (ids: readonly string[]) => {
    for (const id of ids) {
      const dependency = own.get(id);
      if (!dependency || seen.has(id)) continue;
      seen.add(id);
      add(dependency);
      visit(dependency.dependsOn ?? []);
    }
  };
  visit(step.dependsOn ?? []);
  return covered;
}

/** Tables a `DROP TABLE` names: a DropStmt lists them as name parts, not as the relations sqlRelations finds. */
function droppedTables(sql: string): string[] {
  let tree: { stmts?: Array<{ stmt?: { DropStmt?: { removeType?: string; objects?: Array<{ List?: { items?: Array<{ String?: { sval?: string } }> } }> } } }> };
  try {
    tree = parseSync(sql) as typeof tree;
  } catch {
    return [];
  }
  return (tree.stmts ?? []).flatMap(({ stmt }) => {
    const drop = stmt?.DropStmt;
    if (drop?.removeType !== 'OBJECT_TABLE') return [];
    return (drop.objects ?? []).map((object) => (object.List?.items ?? []).map((item) => item.String?.sval ?? '')).map((parts) => (parts.length > 1 ? parts.slice(-2).join('.') : qualifiedTable(parts[0] ?? '')));
  });
}
