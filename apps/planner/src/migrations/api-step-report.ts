import { allSteps, plannedStepOf, specStepOf, type MigrationState, type StepState } from '@bascule/orchestration';
import type { ApiStepOutcome, ApiStepProgress } from './api-step-progress';
import { contractChangesOf } from './api-step-view';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const sharesText = (shares: Record<string, number> | null) =>
  shares === null ? 'not shifted yet' : Object.entries(shares).map(([version, share]) => `${version} ${share} %`).join(', ');

function outcomeLine(outcome: ApiStepOutcome): string {
  const at = outcome.at.toISOString();
  if (outcome.kind === 'promoted') return `- Promoted at ${at} after ${outcome.durationMs} ms: the new version serves all traffic`;
  if (outcome.kind === 'rolled_back') return `- Rolled back at ${at} in ${outcome.durationMs} ms: all traffic on the old version`;
  return `- Failed (${outcome.phase}) at ${at}: [${outcome.code}] ${outcome.message}`;
}

/** One api step: the contract changes the plan found, then the canary, judged step by judged step. */
function stepLines(state: MigrationState, step: StepState, progress: ApiStepProgress | undefined): string[] {
  const api = specStepOf(state, step).api;
  if (!api) return [];
  const lines = ['', `### \`${step.id}\`: ${api.service} ${api.from.version} → ${api.to.version}`, ''];
  const approval = plannedStepOf(state, step)?.requiresApproval;
  lines.push(`- Breaking changes: ${api.breaking}${approval ? ` — waits for an approval: ${approval.message}` : ''}${step.approvedBy ? `; approved by ${step.approvedBy}` : ''}`);
  const changes = contractChangesOf(state, step);
  if (changes.length === 0) lines.push('- Contract: no change between the two documents');
  else {
    lines.push('', '| level | rule | operation | where | change |', '|---|---|---|---|---|');
    for (const change of changes) lines.push(`| ${change.severity} | ${change.rule} | ${cell(change.operation ?? '—')} | \`${cell(change.pointer ?? '')}\` | ${cell(change.message)} |`);
    lines.push('');
  }
  lines.push(`- Canary ${api.canary.steps.join('/')} % every ${api.canary.interval}; traffic now: ${sharesText(progress?.shares ?? null)}`);
  if (progress && progress.judged.length > 0) {
    lines.push('', '| canary step | shares | verdict | reasons |', '|---|---|---|---|');
    for (const judged of progress.judged) lines.push(`| ${judged.canaryStep + 1} | ${sharesText(judged.shares)} | ${judged.verdict} | ${cell(judged.reasons.join('; '))} |`);
    lines.push('');
  }
  if (progress?.outcome) lines.push(outcomeLine(progress.outcome));
  return lines;
}

/** The report's "API steps" section; empty for a migration without api steps. */
export function apiStepReport(state: MigrationState, apiSteps: ReadonlyMap<string, ApiStepProgress>): string[] {
  const steps = allSteps(state).filter((step) => step.kind === 'api');
  if (steps.length === 0) return [];
  return ['', '## API steps', ...steps.flatMap((step) => stepLines(state, step, apiSteps.get(step.id)))];
}
