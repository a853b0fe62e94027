import type { MigrationStep, StepCompensation } from '@bascule/contracts';

/** How each step is undone, as the plan shows it (the rollback-manager derives the real order from events). */
export function stepCompensation(step: MigrationStep): StepCompensation {
  if (step.schema) {
    return { action: 'schema.rollback', description: 'drop the new version schema and the expand changes; the old version never stopped serving, so it is instant' };
  }
  if (step.sql?.irreversible) return { action: 'irreversible', description: 'declared irreversible: a rollback cannot undo this step and is refused once it ran' };
  if (step.sql) return { action: 'sql.revert', description: 'run the step\'s down SQL' };
  if (step.verify) return { action: 'none', description: 'a verification changes nothing' };
  if (step.api) {
    return { action: 'api.rollback', description: `traffic of ${step.api.service} back to 100 % on ${step.api.from.version}, before any schema step is undone: a switch of the router, not a redeploy` };
  }
  if (step.backup) return { action: 'none', description: 'a backup changes nothing on the target: nothing to undo, and its file stays in BASCULE_BACKUP_DIR' };
  if (step.analysis) return { action: 'none', description: 'an analysis only watches the target\'s metrics: it changes nothing' };
  return { action: 'none', description: 'an approval changes nothing' };
}
