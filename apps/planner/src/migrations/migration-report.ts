import { allSteps, type ComparisonState, type MigrationState } from '@bascule/orchestration';
import type { ApiStepProgress } from './api-step-progress';
import { apiStepReport } from './api-step-report';
import type { MigrationTrace } from './migration-trace';
import { recoveryPointLines, type RecoveryPointView } from './recovery-points-view';

const at = (date: Date | null | undefined) => (date ? date.toISOString() : '—');
const ms = (from: Date | null, to: Date | null) => (from && to ? `${to.getTime() - from.getTime()} ms` : '—');

/**
 * `GET /migrations/:id/report`: what changed, how long each part took, what verification found,
 * the api steps' contract changes and canaries, and who started, approved and rolled back and why
 * — all from the migration's stream.
 */
export function migrationReport(
  state: MigrationState,
  apiSteps: ReadonlyMap<string, ApiStepProgress> = new Map(),
  trace: MigrationTrace | null = null,
  recoveryPoints: readonly RecoveryPointView[] = [],
): string {
  const lines: string[] = [`# Migration ${state.name} (${state.id})`, ''];
  lines.push(`- Target: \`${state.target}\``, `- Status: **${state.status}**${state.paused ? ' (paused)' : ''}`);
  if (trace) lines.push(`- Trace: \`${trace.traceId}\`${trace.grafanaUrl ? ` ([in Grafana](${trace.grafanaUrl}))` : ''}`);
  lines.push(`- Planned by ${state.requestedBy} at ${at(state.plannedAt)}`);
  if (state.startedAt) lines.push(`- Started by ${state.startedBy ?? '?'} at ${at(state.startedAt)}`);
  if (state.expandedAt) lines.push(`- Expanded at ${at(state.expandedAt)}; contract not before ${at(state.completeAfter)}`);
  if (state.completeRequested) lines.push(`- Complete ${state.completeRequested.reason === 'window_elapsed' ? 'after the rollback window' : `requested by ${state.completeRequested.by}`} at ${at(state.completeRequested.at)}`);
  if (state.completedAt) lines.push(`- Completed at ${at(state.completedAt)} (${ms(state.startedAt, state.completedAt)} after start)`);
  if (state.failure) lines.push(`- Failed${state.failure.stepId ? ` in step \`${state.failure.stepId}\`` : ''}: [${state.failure.code}] ${state.failure.message}`);
  lines.push('', '## What changed', '', '| phase | step | kind | status | took | detail |', '|---|---|---|---|---|---|');
  for (const phase of state.phases) {
    for (const step of phase.steps) {
      const planned = state.plan.phases[phase.index]?.steps.find((candidate) => candidate.id === step.id);
      const detail = [planned?.summary, step.approvedBy ? `approved by ${step.approvedBy}` : null, step.failure ? `failed: ${step.failure.message}` : null].filter(Boolean).join('; ');
      lines.push(`| ${phase.name} | ${step.id} | ${step.kind} | ${step.status} | ${ms(step.startedAt, step.finishedAt)} | ${escapeCell(detail)} |`);
    }
  }
  lines.push('', '## Phases', '');
  for (const phase of state.phases) lines.push(`- ${phase.name}: ${phase.status}, ${ms(phase.startedAt, phase.completedAt)}`);
  lines.push('', '## Verification', '');
  if (state.comparisons.size === 0 && !allSteps(state).some((step) => step.kind === 'verify')) lines.push('No verification recorded yet.');
  for (const comparison of state.comparisons.values()) lines.push(comparisonLine(comparison));
  for (const step of allSteps(state).filter((candidate) => candidate.kind === 'verify')) lines.push(`- verify step \`${step.id}\`: ${step.status}${step.failure ? ` (${step.failure.message})` : ''}`);
  if (state.rehearsal) lines.push(`- rehearsal: ${state.rehearsal.passed ? 'passed' : 'FAILED'} at ${at(state.rehearsal.at)}`);
  lines.push(...apiStepReport(state, apiSteps));
  if (state.spec.monitor) lines.push('', '## Performance', '', ...monitorLines(state));
  if (state.rollback) {
    const rollback = state.rollback;
    lines.push('', '## Rollback', '', `- Trigger: ${rollback.trigger}, requested by ${rollback.requestedBy}: ${rollback.reason}`);
    lines.push(`- Received at ${at(rollback.receivedAt)}; compensation: ${rollback.compensation.map((step) => `${step.action} ${step.stepId}`).join(', ') || 'nothing to undo'}`);
    lines.push(`- Compensated: ${rollback.compensated.join(', ') || '—'}; ${rollback.durationMs !== null ? `rolled back in ${rollback.durationMs} ms` : 'not finished'}`);
    if (rollback.failure) lines.push(`- Rollback failed${rollback.failure.stepId ? ` at \`${rollback.failure.stepId}\`` : ''}: [${rollback.failure.code}] ${rollback.failure.message}`);
  }
  lines.push(...recoveryPointLines(recoveryPoints));
  lines.push('', '## Timeline', '');
  for (const entry of state.history) lines.push(`- ${at(entry.at)} — ${entry.summary}`);
  return `${lines.join('\n')}\n`;
}

/** The monitor's numbers: each metric's baseline, the latest judged window, every failed analysis and regression. */
function monitorLines(state: MigrationState): string[] {
  const { baseline, lastWindow, failures, regressions } = state.monitor;
  if (!baseline) return ['No baseline recorded yet.'];
  const lines = ['| metric | source | baseline median | p95 | samples | latest | verdict |', '|---|---|---|---|---|---|---|'];
  for (const metric of baseline.data.metrics) {
    const latest = lastWindow?.metrics.find((candidate) => candidate.name === metric.name);
    lines.push(`| ${metric.name} | ${metric.source} | ${num(metric.median)} | ${num(metric.p95)} | ${metric.samples} | ${num(latest?.current ?? null)} | ${latest ? escapeCell(`${latest.verdict}: ${latest.reason}`) : '—'} |`);
  }
  for (const failure of failures) lines.push(`- Analysis failed (${failure.phase}${failure.stepId ? `, step \`${failure.stepId}\`` : ''}) at ${at(failure.at)}: ${failure.reason}`);
  for (const regression of regressions) lines.push(`- Regression after completed, at ${at(regression.at)}: ${regression.reason}`);
  return lines;
}

function num(value: number | null): string {
  return value === null ? '—' : String(Math.round(value * 1000) / 1000);
}

function comparisonLine(comparison: ComparisonState): string {
  const data = comparison.data as {
    tables?: Array<{ table: string; equal: boolean; rowCount: number; baselineRowCount: number }>;
    equivalence?: Array<{ table: string; column: string; checkedRows: number; mismatchedRows: number }>;
  };
  const tables = (data.tables ?? []).map((table) => `${table.table} ${table.equal ? 'equal' : 'differs'} (${table.baselineRowCount} → ${table.rowCount} rows)`);
  const equivalence = (data.equivalence ?? []).map((check) => `${check.table}.${check.column} = up(old): ${check.checkedRows - check.mismatchedRows}/${check.checkedRows} rows`);
  const detail = [...tables, ...equivalence].join(', ');
  return `- \`${comparison.label}\` against \`${comparison.against}\`: ${comparison.passed ? 'passed' : 'FAILED'}${detail ? ` — ${detail}` : ''}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
