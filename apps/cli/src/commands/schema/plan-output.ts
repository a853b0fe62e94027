import type { MigrationPlan, PlannedStep } from '@bascule/schema-engine';

function steps(title: string, planned: PlannedStep[]): string[] {
  const lines = [`-- ${title}`];
  if (planned.length === 0) lines.push('-- (nothing)');
  for (const step of planned) {
    lines.push(`-- ${step.source}: ${step.description}${step.transactional ? '' : ' (outside a transaction)'}`);
    lines.push(step.sql === null ? '-- batched UPDATEs fire the triggers (keyset on the primary key)' : `${step.sql.trim()};`);
  }
  return lines;
}

/** `bascule schema plan`: the SQL of each phase, as the engine would run it now. */
export function formatPlan(plan: MigrationPlan): string {
  return [
    `-- migration ${plan.migration} on schema ${plan.schema}: version schema ${plan.versionSchema}` +
      (plan.previousVersionSchema ? `, previous ${plan.previousVersionSchema}` : ''),
    ...steps('start', plan.start),
    '',
    ...steps('complete', plan.complete),
    '',
    ...steps('rollback', plan.rollback),
  ].join('\n');
}
