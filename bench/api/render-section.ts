import { median } from 'simple-statistics';
import type { AbortRun, LatencyFigures, WeightStep } from './router-runs';
import { CONCURRENCY } from './router-runs';

export const SECTION_HEADING = '## API router';

export interface RouterReport {
  kind: 'embedded' | 'haproxy';
  overhead: Array<{ direct: LatencyFigures; routed: LatencyFigures; failed: number }>;
  walk: WeightStep[];
  aborts: AbortRun[];
}

export interface BenchRun {
  reports: RouterReport[];
  machine: { cpus: number; before: string; after: string; loads: number[]; minutes: number; haproxyVersion: string; at: string };
  settings: { aborts: number; overheadMs: number; holdMs: number };
}

const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : '–');
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

export function renderSection(run: BenchRun): string {
  const { machine, settings } = run;
  const lines = [
    SECTION_HEADING,
    '',
    `Reproduce: \`npm run bench:api\` (two local upstreams answering at once, ${CONCURRENCY} keep-alive clients; ${machine.minutes.toFixed(1)} min this run).`,
    '',
    `Run ${machine.at}; nproc ${machine.cpus}; ${machine.haproxyVersion}. Machine load (\`uptime\`), shared with other work: before \`${machine.before}\`, after \`${machine.after}\`; 1-minute load at the start of each router's runs ${machine.loads.map((load) => load.toFixed(1)).join(', ')}.`,
    '',
    'Both adapters of `@bascule/api-router` as a migration drives them: the embedded router (fastify + @fastify/reply-from in',
    'the measuring process) and a real HAProxy driven over its admin socket, weights persisted to its server-state file.',
    '',
    `### Router overhead: ${settings.overheadMs / 1000} s of load on the upstream directly, then through the router (100 % v1), twice`,
    '',
    '| router | round | direct p50 | routed p50 | direct p99 | routed p99 | added p50 | added p99 | failed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const report of run.reports) {
    report.overhead.forEach((round, index) => {
      lines.push(
        `| ${report.kind} | ${index + 1} | ${ms(round.direct.p50Ms)} | ${ms(round.routed.p50Ms)} | ${ms(round.direct.p99Ms)} | ${ms(round.routed.p99Ms)} | ${ms(round.routed.p50Ms - round.direct.p50Ms)} | ${ms(round.routed.p99Ms - round.direct.p99Ms)} | ${round.failed} |`,
      );
    });
  }
  lines.push(
    '',
    'The client is in the same Node process as the embedded router, so both share one event loop; a negative difference',
    'is the noise of two runs a few seconds apart on a shared 2-core machine.',
  );
  lines.push(
    '',
    `### Weights moved under load: v2's share ${run.reports[0]?.walk.map((step) => step.share).join(' → ')} %, each held ${settings.holdMs / 1000} s`,
    '',
    '"Seen" is v2\'s share of the requests that started after the change resolved; failures count from when it was asked for.',
    '',
    '| router | asked | seen | requests | failed |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  for (const report of run.reports) {
    for (const step of report.walk) lines.push(`| ${report.kind} | ${step.share} % | ${step.observed.toFixed(1)} % | ${step.requests} | ${step.failed} |`);
  }
  lines.push(
    '',
    `### Abort: at 50/50 under load, the rollback (\`setWeights({v1: 100, v2: 0})\`), ${settings.aborts} times`,
    '',
    '| router | change applied, median / max | last v2 response after the call, median / max | failed requests |',
    '| --- | ---: | ---: | ---: |',
  );
  for (const report of run.reports) {
    const resolved = report.aborts.map((a) => a.resolvedMs);
    const last = report.aborts.map((a) => a.lastNewMs);
    lines.push(`| ${report.kind} | ${ms(median(resolved))} / ${ms(Math.max(...resolved))} | ${ms(median(last))} / ${ms(Math.max(...last))} | ${report.aborts.reduce((sum, a) => sum + a.failed, 0)} |`);
  }
  lines.push('', '| goal | measured | |', '| --- | --- | --- |');
  for (const report of run.reports) {
    const failedChanges = report.walk.reduce((sum, step) => sum + step.failed, 0) + report.aborts.reduce((sum, a) => sum + a.failed, 0);
    const changes = report.walk.length + 2 * report.aborts.length;
    const worstSplit = Math.max(...report.walk.filter((step) => Number.isFinite(step.observed)).map((step) => Math.abs(step.observed - step.share)));
    const slowest = Math.max(...report.aborts.map((a) => a.lastNewMs));
    lines.push(
      `| ${report.kind}: 0 failed requests per weight change | ${failedChanges} failed over ${changes} changes | ${met(failedChanges === 0)} |`,
      `| ${report.kind}: split within ±3 points of the weight | worst ${worstSplit.toFixed(1)} points | ${met(worstSplit <= 3)} |`,
      `| ${report.kind}: abort to the last new-version response < 1 s | slowest ${ms(slowest)} of ${report.aborts.length} | ${met(slowest < 1000)} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
