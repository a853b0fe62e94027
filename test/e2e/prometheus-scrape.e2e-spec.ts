import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@bascule/service-kit';
import { freePorts } from '@bascule/testing';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { ACCOUNT_ROWS, createAccountsTarget, widenBalanceStep } from './support/accounts-target';
import { startOrchestrationStack, type OrchestrationStack } from './support/orchestration-stack';

/** The Debian package's binary; `.ci/run` installs it when absent. */
const PROMETHEUS = '/usr/bin/prometheus';

interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** A real Prometheus scraping the six services every second, answering PromQL over its HTTP API. */
class PrometheusServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly logFile: string,
  ) {}

  /** Fails at once, before any service starts, when the binary is missing: this test is never skipped. */
  static assertInstalled(): void {
    if (!existsSync(PROMETHEUS)) {
      throw new Error(`${PROMETHEUS} not found: this test runs the real Prometheus. Install it with \`apt-get install prometheus\` (.ci/run does).`);
    }
  }

  static async start(targets: Record<string, string>): Promise<PrometheusServer> {
    PrometheusServer.assertInstalled();
    const dir = mkdtempSync(join(tmpdir(), 'bascule-prometheus-'));
    const jobs = Object.entries(targets).map(([job, url]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['${new URL(url).host}']`);
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n${jobs.join('\n')}\n`);
    const [port] = await freePorts(1);
    const logFile = join(dir, 'prometheus.log');
    const log = openSync(logFile, 'a');
    const child = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', log, log],
    });
    const server = new PrometheusServer(child, `http://127.0.0.1:${port}`, logFile);
    await server.until(async () => (await fetch(`${server.url}/-/ready`).catch(() => undefined))?.ok === true, 'Prometheus to be ready', 30_000);
    return server;
  }

  async query(promql: string): Promise<Sample[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`Prometheus refused ${promql}: ${body.error}`);
    return (body.data?.result ?? []).map((entry) => ({ metric: entry.metric, value: Number(entry.value[1]) }));
  }

  /** Queries until `accept` takes the answer (scrapes come every second); the last answer is in the error. */
  async eventually(promql: string, accept: (samples: Sample[]) => boolean, timeoutMs = 30_000): Promise<Sample[]> {
    let last: Sample[] = [];
    await this.until(async () => accept((last = await this.query(promql))), `${promql} (last answer ${JSON.stringify(last)}; log ${this.logFile})`, timeoutMs);
    return last;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private async until(probe: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (this.child.exitCode !== null) throw new Error(`Prometheus exited (${this.child.exitCode}) while waiting for ${what}; see ${this.logFile}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const total = (samples: Sample[]) => samples.reduce((sum, sample) => sum + sample.value, 0);

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('Prometheus scrapes the six services during a migration', () => {
  let stack: OrchestrationStack | undefined;
  let prometheus: PrometheusServer | undefined;

  afterEach(async () => {
    await prometheus?.stop();
    prometheus = undefined;
    await stack?.close();
    stack = undefined;
  });

  it('finds every service up and the series of a migration run to expanded and rolled back from the API', async () => {
    PrometheusServer.assertInstalled();
    stack = await startOrchestrationStack(createAccountsTarget);
    const { planner, services, logDir, stream } = stack;
    prometheus = await PrometheusServer.start(Object.fromEntries(SERVICE_NAMES.map((name) => [name, services.url(name)])));

    const up = await prometheus.eventually('up', (samples) => samples.length === SERVICE_NAMES.length && samples.every((sample) => sample.value === 1));
    expect(up.map((sample) => sample.metric.job).sort()).toEqual([...SERVICE_NAMES].sort());

    const posted = await planner.plan({
      name: 'widen-balance',
      target: 'app',
      phases: [
        { name: 'expand', steps: [widenBalanceStep('widen-balance', { batchSize: 2_000, delayMs: 0 })] },
        { name: 'data', steps: [{ id: 'account-flags', sql: { up: 'CREATE TABLE account_flags (account_id integer PRIMARY KEY, flag text NOT NULL)', down: 'DROP TABLE account_flags' } }] },
      ],
      rollback: { automatic: true, window: '72h' },
    });
    await planner.send(posted.id, 'start');
    await watchMigration(planner, posted.id, { until: statusIs('expanded'), wanted: `expanded (logs: ${logDir})`, timeoutMs: 90_000 });
    await planner.send(posted.id, 'rollback', { reason: 'e2e: metrics after a rollback' });
    await watchMigration(planner, posted.id, { until: statusIs('rolled_back'), wanted: `rolled_back (logs: ${logDir})`, timeoutMs: 90_000 });

    // The planner: migrations by status (every status a series), the commands it accepted, runs by outcome.
    const statuses = await prometheus.eventually('bascule_migrations{job="planner"}', (samples) => samples.some((s) => s.metric.status === 'rolled_back' && s.value === 1));
    expect(statuses.filter((sample) => sample.value > 0).map((sample) => sample.metric.status)).toEqual(['rolled_back']);
    expect(statuses.length).toBeGreaterThanOrEqual(10);
    await prometheus.eventually('bascule_migration_commands_total{job="planner",action=~"start|rollback"}', (samples) => samples.length === 2 && samples.every((s) => s.value === 1));
    const steps = await prometheus.eventually('bascule_step_duration_seconds_count{job="planner"} > 0', (samples) => samples.length >= 2);
    expect(steps.map((sample) => `${sample.metric.kind}:${sample.metric.outcome}`).sort()).toEqual(['schema:succeeded', 'sql:succeeded']);
    await prometheus.eventually('bascule_phase_duration_seconds_count{job="planner",outcome="succeeded"}', (samples) => total(samples) === 2);

    // The schema-agent's backfill: every row of accounts once, in timed batches.
    await prometheus.eventually('bascule_backfill_rows_total{job="schema-agent"}', (samples) => total(samples) === ACCOUNT_ROWS);
    await prometheus.eventually('bascule_backfill_batch_duration_seconds_count{job="schema-agent"}', (samples) => total(samples) >= ACCOUNT_ROWS / 2_000);
    await prometheus.eventually('bascule_backfill_rows_per_second{job="schema-agent"}', (samples) => total(samples) > 0);

    // The rollback-manager timed the rollback the planner's REST route asked for.
    await prometheus.eventually('bascule_rollback_seconds_count{job="rollback-manager",trigger="api"}', (samples) => total(samples) === 1);

    // The relay published at least every event of the migration (one copy holds its lease: the sum counts each once).
    const stored = (await stream(posted.id)).length;
    await prometheus.eventually('sum(bascule_relay_published_total)', (samples) => total(samples) >= stored);
    await prometheus.eventually('bascule_relay_lag_seconds', (samples) => samples.length >= 1);

    // The bus, per consumer: the schema-agent's start command handled, and what each service waits for.
    await prometheus.eventually('bascule_messages_handled_total{job="schema-agent",consumer=~"cmd-schema_start.*",outcome="acked"}', (samples) => total(samples) >= 1);
    const handling = await prometheus.eventually('sum by (job) (bascule_message_handling_seconds_count)', (samples) => samples.length >= 4);
    expect(handling.map((sample) => sample.metric.job)).toEqual(expect.arrayContaining(['planner', 'schema-agent', 'data-verifier', 'rollback-manager']));
    await prometheus.eventually('bascule_consumer_pending_messages{job="planner"}', (samples) => samples.length > 0 && samples.every((sample) => sample.value >= 0));

    // The monitor's and the api-agent's own metrics are still served.
    await prometheus.eventually('bascule_monitor_watches{job="monitor"}', (samples) => samples.length === 1);
    await prometheus.eventually('bascule_service_info', (samples) => samples.length === SERVICE_NAMES.length);
  });
});
