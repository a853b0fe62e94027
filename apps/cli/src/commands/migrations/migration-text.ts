/**
 * The planner's status projection (`GET /migrations[/:id]`) as people on call read it: pure
 * functions of the REST body, so the text is tested without a planner. Fields beyond the
 * contract's `{id, name, status, phases}` are optional: an older planner prints less, not wrong.
 */
export interface MigrationView {
  id: string;
  name: string;
  status: string;
  target?: string;
  paused?: boolean;
  requestedBy?: string;
  plannedAt?: string | null;
  startedAt?: string | null;
  startedBy?: string | null;
  expandedAt?: string | null;
  completeAfter?: string | null;
  completedAt?: string | null;
  traceId?: string | null;
  traceUrl?: string | null;
  failure?: { code: string; message: string; stepId?: string | null } | null;
  rollback?: {
    trigger: string;
    reason: string;
    requestedBy: string;
    compensated?: string[];
    stillInPlace?: string[];
    failure?: { code: string; message: string; stepId?: string | null } | null;
    finishedAt?: string | null;
  } | null;
  phases: Array<{ name: string; status: string; steps: StepView[] }>;
}

interface StepView {
  id: string;
  status: string;
  kind?: string;
  progress?: { table: string; rowsDone: number; rowsTotal: number | null } | null;
  failure?: { code: string; message: string } | null;
  approvedBy?: string | null;
}

const count = (value: number): string => value.toLocaleString('en-US');

/** Columns padded to their widest cell; the last column is never padded (no trailing blanks). */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '));
}

/** `bascule migrations list`: one line per migration, newest plan last (the planner's order). */
export function migrationTable(migrations: MigrationView[]): string {
  if (migrations.length === 0) return 'no migrations';
  const rows = [['ID', 'STATUS', 'PLANNED', 'BY', 'NAME']];
  for (const migration of migrations) {
    rows.push([migration.id, migration.status, shortTime(migration.plannedAt), migration.requestedBy ?? '-', migration.name]);
  }
  return table(rows).join('\n');
}

/** `2026-01-05 14:03:22` from an ISO time; `-` when absent. */
function shortTime(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-';
}

function stepDetail(step: StepView): string {
  const parts: string[] = [];
  if (step.progress) {
    const { table: name, rowsDone, rowsTotal } = step.progress;
    parts.push(rowsTotal ? `backfill ${name} ${count(rowsDone)}/${count(rowsTotal)} (${Math.min(100, Math.floor((rowsDone * 100) / rowsTotal))}%)` : `backfill ${name} ${count(rowsDone)} rows`);
  }
  if (step.approvedBy) parts.push(`approved by ${step.approvedBy}`);
  if (step.failure) parts.push(`failed: [${step.failure.code}] ${step.failure.message}`);
  return parts.join('; ');
}

/** `bascule migrations show ID`: who and when, each phase and step, a failure, a rollback. */
export function migrationDetail(migration: MigrationView): string {
  const lines = [`${migration.name} (${migration.id})`, `status: ${migration.status}${migration.target ? `, target ${migration.target}` : ''}`];
  if (migration.plannedAt) lines.push(`planned ${shortTime(migration.plannedAt)}${migration.requestedBy ? ` by ${migration.requestedBy}` : ''}`);
  if (migration.traceId) lines.push(`trace ${migration.traceId}${migration.traceUrl ? ` ${migration.traceUrl}` : ''}`);
  if (migration.startedAt) lines.push(`started ${shortTime(migration.startedAt)}${migration.startedBy ? ` by ${migration.startedBy}` : ''}`);
  if (migration.expandedAt) lines.push(`expanded ${shortTime(migration.expandedAt)}; completes after ${shortTime(migration.completeAfter)} unless completed sooner`);
  if (migration.completedAt) lines.push(`completed ${shortTime(migration.completedAt)}`);
  const rows: string[][] = [];
  migration.phases.forEach((phase, index) => {
    rows.push([`phase ${index + 1}/${migration.phases.length}`, `"${phase.name}"`, phase.status, '']);
    for (const step of phase.steps) rows.push([`  ${step.id}`, step.kind ?? '', step.status, stepDetail(step)]);
  });
  if (rows.length > 0) lines.push('', ...table(rows).map((line) => line.trimEnd()));
  if (migration.failure) lines.push('', `failure${migration.failure.stepId ? ` in step ${migration.failure.stepId}` : ''}: [${migration.failure.code}] ${migration.failure.message}`);
  const rollback = migration.rollback;
  if (rollback) {
    lines.push('', `rollback (${rollback.trigger}) requested by ${rollback.requestedBy}: ${rollback.reason}`);
    if (rollback.compensated?.length) lines.push(`  compensated: ${rollback.compensated.join(', ')}`);
    if (rollback.stillInPlace?.length && migration.status !== 'rolled_back') lines.push(`  still in place: ${rollback.stillInPlace.join(', ')}`);
    if (rollback.failure) lines.push(`  rollback failed${rollback.failure.stepId ? ` at ${rollback.failure.stepId}` : ''}: [${rollback.failure.code}] ${rollback.failure.message}`);
  }
  return lines.join('\n');
}
