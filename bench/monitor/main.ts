import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { targetUrlEnvName } from '@bascule/contracts';
import { Pool } from 'pg';
import { ProbePools } from '../../apps/monitor/src/target-pools';
import { upsertSection } from '../support/benchmarks-doc';
import { createScratchDatabase } from '../support/scratch-database';
import { measureProbeOverhead } from './probe-overhead';
import { ProbeTarget } from './probe-target';
import { renderSection } from './render-section';
import { judgeGoals, summarize, type ScenarioSummary } from './scenario-summary';
import { INDEX_DROPPED, INDEX_IDENTICAL_ALONE, INDEX_IDENTICAL_BESIDE, KNOB_SCENARIOS, type Scenario } from './scenarios';
import { runSettings, watchOneRun, type RunRecord } from './watch-run';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const OVERHEAD_SECONDS = Number(process.env.BENCH_OVERHEAD_SECONDS ?? 15);
const SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
/** The target name the probe pools resolve through BASCULE_TARGET_<NAME>_URL, as the monitor's do. */
const TARGET = 'bench';
/** Two windows judged before the change (false alarms of every scenario), then six from the one it lands in. */
const WINDOWS_BEFORE = 2;
const WINDOWS_FROM = 6;

/**
 * Run side by side, round after round: the knob's changes cost the target no CPU to speak of (a
 * longer sleep, an error), so the index probe's identical runs can go beside them.
 */
const SIDE_BY_SIDE = [...KNOB_SCENARIOS, INDEX_IDENTICAL_BESIDE];
/**
 * Run one at a time: dropping the index makes every probe read a thousand rows, and the identical
 * runs alone show the index probe's noise without the knob lanes' traffic around it.
 */
const ONE_AT_A_TIME = [INDEX_IDENTICAL_ALONE, INDEX_DROPPED];

const log = (line: string) => process.stdout.write(`${line}\n`);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

/** A probe pool per lane: one shared pool of four would queue the lanes' probes behind each other. */
function lanePools(count: number): ProbePools[] {
  return Array.from({ length: count }, () => new ProbePools());
}

/** The 1-minute load average at the start of every round: the neighbours' work the probes shared the machine with. */
const roundLoads: number[] = [];

/** `RUNS` rounds; in each, every scenario runs once (side by side, or one after another) on a lane that rotates. */
async function runScenarios(target: ProbeTarget, scenarios: readonly Scenario[], sideBySide: boolean): Promise<ScenarioSummary[]> {
  const pools = lanePools(scenarios.length);
  const records = scenarios.map((): RunRecord[] => []);
  const intervalMs = runSettings(scenarios[0].probeSql(1)).intervalMs;
  try {
    for (let round = 0; round < RUNS; round++) {
      const changeOffset = (round + 0.5) / RUNS;
      const loadAtStart = loadavg()[0];
      roundLoads.push(loadAtStart);
      const runOne = async (scenario: Scenario, index: number): Promise<RunRecord> => {
        const lane = ((index + round) % scenarios.length) + 1;
        try {
          return await watchOneRun({
            pool: pools[lane - 1].get(TARGET),
            sql: scenario.probeSql(lane),
            windowsBefore: WINDOWS_BEFORE,
            windowsFrom: WINDOWS_FROM,
            changeOffset,
            change: () => scenario.inject(target, lane),
          });
        } finally {
          await scenario.reset(target, lane);
        }
      };
      const results: RunRecord[] = [];
      if (sideBySide) results.push(...(await Promise.all(scenarios.map(runOne))));
      else for (const [index, scenario] of scenarios.entries()) results.push(await runOne(scenario, index));
      results.forEach((record, index) => records[index].push(record));
      const brief = results.map((record, index) => {
        const at = record.analysisFailedAtMs;
        return `${scenarios[index].name}: ${at === null ? 'passed' : `rolled back ${(Math.abs(at) / intervalMs).toFixed(1)} intervals ${at < 0 ? 'BEFORE' : 'after'} the change`}`;
      });
      log(`round ${round + 1}/${RUNS} (load ${loadAtStart.toFixed(1)} → ${loadavg()[0].toFixed(1)}): ${brief.join('; ')}`);
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.endAll()));
  }
  return scenarios.map((scenario, index) => summarize(scenario, records[index], intervalMs));
}

async function main(): Promise<void> {
  const began = Date.now();
  const uptimeBefore = uptime();
  log(`uptime: ${uptimeBefore}`);
  const scratch = await createScratchDatabase(SERVER_URL, 'bench_monitor');
  process.env[targetUrlEnvName(TARGET)] = scratch.url;
  const admin = new Pool({ connectionString: scratch.url, max: 2 });
  try {
    const postgres = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0].v.split(' on ')[0];
    const target = new ProbeTarget(admin);
    await target.create(SIDE_BY_SIDE.length);
    const withIndex = await target.itemProbePlan();
    await target.dropKeyIndex();
    const withoutIndex = await target.itemProbePlan();
    await target.restoreKeyIndex();
    log(`index probe plan: ${withIndex}; without the key index: ${withoutIndex}`);

    const summaries = [...(await runScenarios(target, SIDE_BY_SIDE, true)), ...(await runScenarios(target, ONE_AT_A_TIME, false))];
    const overhead = await measureProbeOverhead(scratch.url, TARGET, admin, OVERHEAD_SECONDS, runSettings(KNOB_SCENARIOS[0].probeSql(1)).everyMs);
    log(`probe overhead: ${overhead.probes} probes of ${overhead.transactions} target transactions (pgbench ${overhead.pgbenchTransactions}); tps without ${overhead.tpsWithout.map((v) => v.toFixed(0)).join(' / ')}, with ${overhead.tpsWith.toFixed(0)}`);

    const goals = judgeGoals(summaries);
    goals.forEach((goal) => log(`${goal.goal}: ${goal.measured} — ${goal.met ? 'met' : 'MISSED'}`));
    const uptimeAfter = uptime();
    log(`uptime: ${uptimeAfter}`);
    const section = renderSection({
      date: new Date().toISOString(),
      nproc: cpus().length,
      postgres,
      uptimeBefore,
      uptimeAfter,
      minutes: (Date.now() - began) / 60_000,
      runs: RUNS,
      loadRange: [Math.min(...roundLoads), Math.max(...roundLoads)],
      windowsBefore: WINDOWS_BEFORE,
      windowsFrom: WINDOWS_FROM,
      plans: { withIndex, withoutIndex },
      summaries,
      goals,
      overhead,
    });
    process.stdout.write(`\n${section}\n`);
    upsertSection(join(process.cwd(), 'docs', 'benchmarks.md'), '## Monitor', section);
    log('docs/benchmarks.md: Monitor section written');
  } finally {
    await admin.end();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
