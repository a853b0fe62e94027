import type { OverheadFigure } from './probe-overhead';
import type { GoalVerdict, ScenarioSummary } from './scenario-summary';
import { BASE_DELAY_MS, ITEM_PROBE_SQL, ITEM_ROWS, ROWS_PER_GROUP } from './probe-target';
import { MONITOR_SPEC } from './watch-run';

export interface MonitorReport {
  date: string;
  nproc: number;
  postgres: string;
  uptimeBefore: string;
  uptimeAfter: string;
  minutes: number;
  runs: number;
  /** The 1-minute load average at the start of the rounds: lowest, highest. */
  loadRange: [number, number];
  windowsBefore: number;
  windowsFrom: number;
  plans: { withIndex: string; withoutIndex: string };
  summaries: ScenarioSummary[];
  goals: GoalVerdict[];
  overhead: OverheadFigure;
}

const ms = (value: number | null) => (value === null ? '–' : `${value.toFixed(value < 10 ? 2 : 1)} ms`);
const percent = (fraction: number) => `${(fraction * 100).toFixed(Math.abs(fraction) < 0.1 ? 1 : 0)} %`;
const signed = (fraction: number) => `${fraction >= 0 ? '+' : '−'}${percent(Math.abs(fraction))}`;
const n = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 0 });

function pValue(p: number | null): string {
  if (p === null) return '–';
  return p < 0.0001 ? '< 0.0001' : p.toPrecision(2);
}

function seen(summary: ScenarioSummary): string {
  if (summary.changeSeen === null) return '–';
  if (summary.changeSeenIsFailureRate) return `failure rate ${signed(summary.changeSeen).replace(' %', ' points')}`;
  return `median ${signed(summary.changeSeen)}`;
}

function row(summary: ScenarioSummary): string {
  const detection = summary.detectionIntervals ? `${summary.detectionIntervals.median.toFixed(1)} / ${summary.detectionIntervals.max.toFixed(1)}` : '–';
  return [
    summary.scenario.name,
    summary.scenario.change,
    String(summary.runs),
    ms(summary.baselineMedianMs),
    seen(summary),
    pValue(summary.pValueSeen),
    `${summary.windowsFailedAfter} of ${summary.windowsAfter}`,
    `${summary.rolledBack} of ${summary.runs}`,
    detection,
    `${summary.worstFailedWindowsBefore} / ${summary.rolledBackBefore}`,
  ].join(' | ');
}

/** What the figures say, from the figures: the noise of each probe with nothing changed, and why a goal was missed. */
function reading(report: MonitorReport): string[] {
  const identical = report.summaries.filter((summary) => summary.scenario.kind === 'identical');
  const spread = identical.flatMap(({ scenario, windowChangeSpread }) =>
    windowChangeSpread ? [`${scenario.probe} probe, ${scenario.name}: ${signed(windowChangeSpread[0])} to ${signed(windowChangeSpread[1])}`] : [],
  );
  const lines = [
    `With nothing changed, window medians against the baseline ran (10th to 90th percentile of all windows) ${spread.join('; ')}.`,
    '+20 % sits on the threshold (a window fails only when more than 20 % worse, and the fixed cost around the sleep makes',
    "the seen change a little smaller than the knob's): its runs show where the line falls, and no goal covers them.",
  ];
  const early = report.summaries.filter((summary) => summary.scenario.kind !== 'identical' && summary.rolledBackBefore > 0);
  lines.push(
    early.length === 0
      ? 'Before their change, the runs of the other scenarios are identical runs too: none of them rolled back early.'
      : `Before their change, the runs of the other scenarios are identical runs too; some rolled back early: ${early.map((summary) => `${summary.scenario.probe} probe, ${summary.scenario.name}: ${summary.rolledBackBefore} of ${summary.runs}`).join('; ')}.`,
  );
  const falseRollbacks = (summary: ScenarioSummary) => summary.rolledBackBefore + (summary.scenario.kind === 'identical' ? summary.rolledBack : 0);
  const noisy = report.summaries.filter((summary) => summary.scenario.probe === 'index' && falseRollbacks(summary) > 0);
  if (noisy.length === 0) return [...lines, ''];
  const index = noisy[0];
  const thresholdUs = (index.baselineMedianMs ?? 0) * 0.2 * 1000;
  return [
    ...lines,
    '',
    `Why the index probe rolls back with nothing changed (${noisy.map((summary) => `${summary.scenario.name}: ${falseRollbacks(summary)} of ${summary.runs}`).join('; ')}):`,
    `it answers in under a millisecond, and at that scale this host's latency moves in spells of seconds (CPU wake-ups and`,
    `scheduling, the neighbours' work); 20 % of a ${ms(index.baselineMedianMs)} median is ${thresholdUs.toFixed(0)} µs. The Mann-Whitney test takes a window's`,
    'samples as independent draws, so a spell that slows all of them reads as significant (p < 0.01). The judge already',
    "asks more of a fast probe: a worsening beyond the baseline's own wander and beyond 0.5 ms. What gets through is a",
    'spell longer than two intervals that adds more than 0.5 ms to every query, which a saturated 2-core host (load 5 and',
    'more) produces. Telling that apart from a regression needs a control measured in the same windows (a no-op query on',
    "the same pool, whose own slowdown is the host's), which is not built.",
    '',
  ];
}

export function renderSection(report: MonitorReport): string {
  const { overhead } = report;
  const knob = report.summaries.filter((summary) => summary.scenario.probe === 'knob');
  const items = report.summaries.filter((summary) => summary.scenario.probe === 'index');
  const header = [
    '| scenario | change injected | runs | baseline median | seen after the change (median of windows) | median p | failed windows after the change | rolled back | detection, intervals (median / max) | before the change: worst failed windows / rolled back |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const meanWithout = (overhead.tpsWithout[0] + overhead.tpsWithout[1]) / 2;
  const withoutSpread = Math.abs(overhead.tpsWithout[0] - overhead.tpsWithout[1]) / meanWithout;
  return [
    '## Monitor',
    '',
    `Reproduce: \`npm run bench:monitor\` (a scratch target database on the local Postgres, dropped at the end; ${report.minutes.toFixed(1)} min this run).`,
    '',
    `Run ${report.date}; nproc ${report.nproc}; ${report.postgres}. Machine load (\`uptime\`), shared with other work:`,
    `before \`${report.uptimeBefore}\`, after \`${report.uptimeAfter}\`; 1-minute load average at the start of the rounds from`,
    `${report.loadRange[0].toFixed(1)} to ${report.loadRange[1].toFixed(1)}.`,
    '',
    "Each run is one watched migration as the monitor runs it: the monitor's own `ProbeSource` on a `ProbePools` pool",
    '(read-only sessions, 5 s statement timeout) and its `MigrationWatch`, with the settings of a spec\'s `monitor` section parsed',
    `by the contracts' schema: \`baseline: ${MONITOR_SPEC.baseline}\`, \`interval: ${MONITOR_SPEC.interval}\`, \`failureLimit: ${MONITOR_SPEC.failureLimit}\`, one probe \`every: ${MONITOR_SPEC.every}\`, \`degradation: ${MONITOR_SPEC.degradation}\`.`,
    'The judge fails a window when the median latency is more than 20 % worse and the one-sided Mann-Whitney test gives',
    'p < 0.01, or when the share of failed probes rose by more than 5 points and the two-proportion z-test gives p < 0.01',
    '(at least 30 samples a side). After the baseline, windows are judged on the interval\'s clock; the change lands in',
    `interval ${report.windowsBefore + 1}, at an offset spread evenly over the runs (from ${percent(0.5 / report.runs)} to ${percent(1 - 0.5 / report.runs)} of the interval), and judging goes on to`,
    `window ${report.windowsBefore + report.windowsFrom}. "Rolled back": the analysis failed (${MONITOR_SPEC.failureLimit} failed windows in a row), which rolls the migration back with`,
    '`rollback.automatic` (else pauses it); one failed window alone throttles the backfill. Detection runs from the commit',
    'of the change to the judgement that failed the analysis. For "identical" every window counts as a false alarm.',
    '',
    `Runs overlap where they cannot disturb each other: ${report.runs} rounds of the five knob scenarios and the index probe's`,
    'identical runs side by side, one lane each (its own knob row, its own probe pool as a separate target would have), the',
    'lanes rotating between scenarios from round to round; all lanes of a round take their baseline and meet their change',
    "point at the same moments, and a lane is put back after its run. The knob's changes cost the target no CPU to speak of",
    "(a longer sleep, an error). Then, one run at a time, alternating: the index probe's identical runs alone, and the",
    'dropped index (every probe then reads a thousand rows, which would slow its neighbours).',
    '',
    `### Knob probe: \`SELECT lookup(lane)\`, a function that sleeps ${BASE_DELAY_MS} ms ±10 % (\`pg_sleep\`, whole milliseconds)`,
    '',
    ...header,
    ...knob.map((summary) => `| ${row(summary)} |`),
    '',
    `### Index probe on ${n(ITEM_ROWS)} rows: \`${ITEM_PROBE_SQL}\``,
    '',
    `Plan with the key index: ${report.plans.withIndex}; after \`DROP INDEX\` on \`k\`: ${report.plans.withoutIndex}.`,
    `The rows are in random physical order, so the key's group of ${n(ROWS_PER_GROUP)} rows sits on about as many pages.`,
    '',
    ...header,
    ...items.map((summary) => `| ${row(summary)} |`),
    '',
    '| goal | measured | |',
    '| --- | --- | --- |',
    ...report.goals.map((goal) => `| ${goal.goal} | ${goal.measured} | ${goal.met ? 'met' : '**missed**'} |`),
    '',
    ...reading(report),
    `### Probe overhead on the target: the index probe every ${overhead.everyMs} ms under \`pgbench -N -c 4 -j 2\` for ${overhead.seconds} s`,
    '',
    "Transactions counted by the target's `pg_stat_database` (commits + rollbacks) over the window with probes, read after",
    'every session flushed its statistics; pgbench ran once before and once after without probes.',
    '',
    '| measure | value |',
    '| --- | ---: |',
    `| target transactions in the window | ${n(overhead.transactions)} |`,
    `| of which pgbench | ${n(overhead.pgbenchTransactions)} |`,
    `| of which probes (${overhead.probesFailed} failed) | ${n(overhead.probes)} |`,
    `| **probes' share of the target's transactions** | **${percent(overhead.probes / overhead.transactions)}** |`,
    `| probe latency under the load, median | ${ms(overhead.probeMedianMs)} |`,
    `| probes' summed latency over the window (share of one session's time; their server time is less) | ${percent(overhead.probeBusyShare)} |`,
    `| pgbench tps without probes (before / after) | ${n(overhead.tpsWithout[0])} / ${n(overhead.tpsWithout[1])} |`,
    `| pgbench tps with probes | ${n(overhead.tpsWith)} (${signed(overhead.tpsWith / meanWithout - 1)} against the mean without) |`,
    '',
    `The two pgbench runs without probes differ by ${percent(withoutSpread)} from each other; the run with probes is ${Math.abs(overhead.tpsWith / meanWithout - 1) <= withoutSpread ? 'within that, so on this shared machine tps cannot show the probes\' cost: their share of the transactions is the measure' : 'further off than that'}.`,
    '',
  ].join('\n');
}
