import { MigrationPlan } from '@bascule/contracts';
import { count } from './demo-context';

/**
 * The plan `POST /migrations` answered, as indented lines: each step with what it does, how it is
 * undone and what it is expected to cost, then the risks found. A plan that does not match the
 * contract is shown as "unreadable plan" rather than failing the demo.
 */
export function planSummary(raw: unknown): string[] {
  const parsed = MigrationPlan.safeParse(raw);
  if (!parsed.success) return [`(unreadable plan: ${parsed.error.issues[0]?.message ?? 'unknown shape'})`];
  const plan = parsed.data;
  const lines: string[] = [];
  plan.phases.forEach((phase, index) => {
    lines.push(`phase ${index + 1} "${phase.name}"`);
    for (const step of phase.steps) {
      const estimate = [
        step.estimate.rows === null ? null : `${count(step.estimate.rows)} rows`,
        step.estimate.backfillSeconds === null ? null : `backfill ~${step.estimate.backfillSeconds.toFixed(1)} s`,
      ].filter(Boolean);
      lines.push(`  ${step.id} (${step.kind}${step.dependsOn.length ? `, after ${step.dependsOn.join(', ')}` : ''}): ${step.summary}`);
      lines.push(`    undo: ${step.compensation.action} (${step.compensation.description})${estimate.length ? `; estimate: ${estimate.join(', ')}` : ''}`);
    }
  });
  const tables = plan.tables.filter((table) => table.exists).map((table) => `${table.table} ${table.rows === null ? '?' : count(table.rows)} rows`);
  if (tables.length) lines.push(`tables baselined and compared: ${tables.join(', ')}`);
  const risks = [...plan.risks, ...plan.phases.flatMap((phase) => phase.steps.flatMap((step) => step.risks))];
  const unique = [...new Map(risks.map((risk) => [`${risk.rule}\0${risk.path ?? ''}`, risk])).values()];
  if (unique.length === 0) lines.push('risks: none found');
  for (const risk of unique) lines.push(`risk (${risk.severity}) ${risk.rule}${risk.path ? ` at ${risk.path}` : ''}: ${risk.message}`);
  if (plan.estimatedSeconds !== null) lines.push(`estimated duration: ${plan.estimatedSeconds.toFixed(1)} s`);
  return lines;
}
