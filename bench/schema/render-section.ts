import type { BatchBreakdown, PhaseFigure, batchTimeline } from './attribution';
import type { ScenarioFigure } from './scenarios';
import type { WaitRun } from './wait-sampler';

export interface BackfillFigure {
  what: string;
  rows: number;
  ms: number;
  rowsPerSecond: number;
}

export interface BatchReport {
  what: string;
  breakdown: BatchBreakdown;
  timeline: ReturnType<typeof batchTimeline>;
}

export interface SchemaBenchRun {
  date: string;
  nproc: number;
  postgres: string;
  /** `uptime` before and after the run. */
  uptime: [string, string];
  /** The engine options the judged Bascule scenarios ran with. */
  options: string;
  rows: number;
  scenarios: ScenarioFigure[];
  backfills: BackfillFigure[];
  attribution: Array<{ what: string; phases: PhaseFigure[] }>;
  batches: BatchReport[];
  goals: string[];
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');

function waitText(wait: WaitRun | null): string {
  return wait ? `${wait.ms} ms ${wait.event}${wait.blocker ? ` behind \`${wait.blocker.replace(/\|/g, '\\|')}\`` : ''}` : '–';
}

function attributionTable(what: string, phases: PhaseFigure[]): string[] {
  return [
    `${what}: the write load by the phase its transactions began in, and what pgbench's sessions were seen waiting on ` +
      '(pg_stat_activity sampled every 10 ms; a lock wait names its blocker; a wait is at least as long as shown).',
    '',
    '| phase | ms | transactions/s | p99 (ms) | longest transaction (ms) | waits sampled | longest sampled wait | lock waits sampled | longest lock wait |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |',
    ...phases.map((p) => `| ${p.phase} | ${p.ms.toFixed(0)} | ${p.tps} | ${ms(p.p99Ms)} | ${ms(p.maxMs)} | ${p.waits} | ${waitText(p.longestWait)} | ${p.lockSamples} | ${waitText(p.longestLockWait)} |`),
    '',
  ];
}

function batchTables(report: BatchReport): string[] {
  const { breakdown, timeline } = report;
  return [
    `${report.what}: ${breakdown.batches} batches, ${breakdown.rows} rows, ${breakdown.checkpoints} checkpoints written.`,
    '',
    '| part of a batch | total ms | worst ms |',
    '| --- | ---: | ---: |',
    ...breakdown.parts.map((p) => `| ${p.part} | ${p.totalMs.toFixed(0)} | ${p.maxMs.toFixed(1)} |`),
    '',
    '| s into the backfill | batch | rows asked | batch ms |',
    '| ---: | ---: | ---: | ---: |',
    ...timeline.map((t) => `| ${t.atS.toFixed(2)} | ${t.batch} | ${t.askedRows} | ${t.ms.toFixed(1)} |`),
    '',
  ];
}

export function renderSection(run: SchemaBenchRun): string {
  const lines = [
    '## Schema engine',
    '',
    'Reproduce: `npm run bench:schema` (scratch database, `pgbench -i -s 20`, dropped at the end).',
    '',
    `Run ${run.date}; nproc ${run.nproc}; ${run.postgres}; engine backfill options: ${run.options}. Machine load (\`uptime\`), ` +
      `shared with other work: before \`${run.uptime[0]}\`, after \`${run.uptime[1]}\`.`,
    '',
    `Change \`abalance\` integer → bigint on ${run.rows} rows of \`pgbench_accounts\` under \`pgbench -N -c 4 -j 2\` write load ` +
      '(table re-initialised before each scenario; migration starts 2 s into the load window and ends ≥ 2 s before it; ' +
      'Bascule holds 2 s between start and complete, the triggers live and no backfill).',
    '',
    '| scenario | longest transaction (ms) | it began during | p99 (ms) | transactions | failed | aborted clients | migration wall time (ms) | load window (s) |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...run.scenarios.map(
      (s) =>
        `| ${s.what}${s.covered ? '' : ' (ran past the window)'} | ${ms(s.maxMs)} | ${s.slowestDuring} | ${ms(s.p99Ms)} | ${s.transactions} | ${s.failed} | ${s.abortedClients} | ` +
        `${s.migrationMs ? s.migrationMs.toFixed(0) : '–'} | ${s.windowSeconds} |`,
    ),
    '',
    ...run.scenarios.flatMap((s) => s.errors.map((error) => `- ${s.what}, pgbench: \`${error.trim()}\``)),
    '',
    '### Stall attribution',
    '',
    ...run.attribution.flatMap((a) => attributionTable(a.what, a.phases)),
    '### Backfill batches',
    '',
    ...run.batches.flatMap(batchTables),
    'Backfill throughput, no load:',
    '',
    '| what | rows | ms | rows/s |',
    '| --- | ---: | ---: | ---: |',
    ...run.backfills.map((b) => `| ${b.what} | ${b.rows} | ${b.ms.toFixed(0)} | ${b.rowsPerSecond} |`),
    '',
    ...run.goals.map((goal) => `- ${goal}`),
    '',
  ];
  return lines.join('\n');
}
