import type { ScenarioFigure } from './scenarios';

export interface BackfillFigure {
  what: string;
  rows: number;
  ms: number;
  rowsPerSecond: number;
}

export interface SchemaBenchRun {
  date: string;
  nproc: number;
  postgres: string;
  loadAverage: [number, number];
  rows: number;
  scenarios: ScenarioFigure[];
  backfills: BackfillFigure[];
  goals: string[];
}

const ms = (value: number) => value.toFixed(1);

export function renderSection(run: SchemaBenchRun): string {
  const lines = [
    '## Schema engine',
    '',
    'Reproduce: `npm run bench:schema` (scratch database, `pgbench -i -s 20`, dropped at the end).',
    '',
    `Run ${run.date}; nproc ${run.nproc}; ${run.postgres}; load average (1 min) ${run.loadAverage[0].toFixed(2)} at start, ` +
      `${run.loadAverage[1].toFixed(2)} at end (shared machine: other work may have been running).`,
    '',
    `Change \`abalance\` integer → bigint on ${run.rows} rows of \`pgbench_accounts\` under \`pgbench -N -c 4 -j 2\` write load ` +
      '(table re-initialised before each scenario; migration starts 2 s into the load window and ends ≥ 2 s before it).',
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
