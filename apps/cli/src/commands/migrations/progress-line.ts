import type { MigrationState, StepState } from '@bascule/orchestration';

/** 12,000: row counts as people read them. */
const count = (value: number): string => value.toLocaleString('en-US');

/** `backfill orders 12,000/30,000 (40%)`, or null when the step has no checkpoint yet. */
export function backfillProgress(step: StepState): string | null {
  if (!step.progress) return null;
  const { table, rowsDone, rowsTotal } = step.progress;
  if (rowsTotal === null || rowsTotal <= 0) return `backfill ${table} ${count(rowsDone)} rows`;
  const percent = Math.min(100, Math.floor((rowsDone * 100) / rowsTotal));
  return `backfill ${table} ${count(rowsDone)}/${count(rowsTotal)} (${percent}%)`;
}

function stepLine(step: StepState): string {
  const backfill = step.status === 'running' ? backfillProgress(step) : null;
  return `${step.id} ${step.status}${backfill ? `, ${backfill}` : ''}`;
}

/**
 * One line saying where a migration is: its status, the phase running and its steps, a running
 * backfill's rows. Pure (from the folded events), so the demo prints a line only when it changes.
 */
export function progressLine(state: MigrationState): string {
  const parts: string[] = [state.status];
  const index = state.currentPhase;
  const phase = index === null ? undefined : state.phases[index];
  if (phase && (state.status === 'running' || state.status === 'paused' || state.status === 'failed')) {
    parts.push(`phase ${phase.index + 1}/${state.phases.length} "${phase.name}" ${phase.status}`);
    const active = phase.steps.filter((step) => step.status !== 'pending');
    if (active.length > 0) parts.push(active.map(stepLine).join('; '));
    if (phase.status === 'running' && phase.steps.every((step) => step.status === 'succeeded')) parts.push('verifying the phase');
  }
  if (state.status === 'rolling_back' && state.rollback) {
    parts.push(`compensated ${state.rollback.compensated.length}/${state.rollback.compensation.length}`);
  }
  if (state.failure) parts.push(`failure: ${state.failure.code}: ${state.failure.message}`);
  return parts.join(' · ');
}
