import { analysisMetricNames, percentToFraction } from '@bascule/contracts';
import { parseMigrationSpec } from './parse-migration-spec';
import { MONITOR_EXAMPLE } from './test-support/monitor-example';
import { pathsAndCodes, problemsOf, specWith } from './test-support/spec-builders';

const probe = (name: string, sql = 'SELECT 1', extra: Record<string, unknown> = {}) => ({ name, probe: { sql }, ...extra });
const withMonitor = (monitor: unknown, steps: unknown[] = [{ id: 'a', approval: {} }], extra: Record<string, unknown> = {}) => specWith(steps, { monitor, ...extra });

describe('parseMigrationSpec: monitor', () => {
  it('accepts the ARCHITECTURE.md monitor example and fills in every default', async () => {
    const result = await parseMigrationSpec(MONITOR_EXAMPLE);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.spec.monitor).toEqual({
      baseline: '30s',
      interval: '5s',
      failureLimit: 2,
      watch: '72h',
      metrics: [
        { name: 'balance-lookup', probe: { sql: 'SELECT id FROM accounts WHERE balance = 4242', every: '250ms' }, degradation: '20%', direction: 'lower-is-better' },
        // max alone: an absolute bound instead of the default degradation.
        { name: 'checkout-p95', prometheus: { url: 'http://127.0.0.1:9090', query: 'histogram_quantile(0.95, ...)' }, max: 0.5, direction: 'lower-is-better' },
        { name: 'target-rollbacks', postgres: 'rollback_ratio', degradation: '20%', direction: 'lower-is-better' },
      ],
    });
    expect(result.spec.phases[0].steps[1]).toEqual({ id: 'soak', dependsOn: ['widen-balance'], analysis: { duration: '60s', metrics: ['balance-lookup'] } });
  });

  it('defaults the timings, watches for the rollback window and takes each direction from the source', async () => {
    const result = await parseMigrationSpec(
      withMonitor(
        {
          metrics: [
            probe('lookup'),
            { name: 'commits', postgres: 'commit_rate' },
            { name: 'waits', postgres: 'lock_waits', min: 0, max: 10 },
            { name: 'orders', prometheus: { url: 'https://prom.example.com', query: 'rate(orders_total[1m])' }, direction: 'higher-is-better', degradation: '12.5%' },
          ],
        },
        [{ id: 'soak', analysis: { duration: '1m' } }],
        { rollback: { window: '24h' } },
      ),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const monitor = result.spec.monitor;
    expect(monitor).toMatchObject({ baseline: '30s', interval: '5s', failureLimit: 2, watch: '24h' });
    expect(monitor?.metrics).toEqual([
      { name: 'lookup', probe: { sql: 'SELECT 1', every: '1s' }, degradation: '20%', direction: 'lower-is-better' },
      { name: 'commits', postgres: 'commit_rate', degradation: '20%', direction: 'higher-is-better' },
      { name: 'waits', postgres: 'lock_waits', min: 0, max: 10, direction: 'lower-is-better' },
      { name: 'orders', prometheus: { url: 'https://prom.example.com', query: 'rate(orders_total[1m])' }, degradation: '12.5%', direction: 'higher-is-better' },
    ]);
    const analysis = result.spec.phases[0].steps[0].analysis;
    expect(analysis).toEqual({ duration: '1m' });
    expect(monitor && analysis && analysisMetricNames(monitor, analysis)).toEqual(['lookup', 'commits', 'waits', 'orders']);
  });

  it('reads a degradation as a fraction', () => {
    expect(percentToFraction('20%')).toBe(0.2);
    expect(percentToFraction('12.5%')).toBe(0.125);
    expect(percentToFraction('150%')).toBe(1.5);
    for (const bad of ['20', '0.2', '20 %', '%', '-5%', '1e2%']) expect(percentToFraction(bad)).toBeNull();
  });

  it('refuses bad timings, each at its path', async () => {
    const problems = await problemsOf(withMonitor({ baseline: '0s', interval: '500ms', failureLimit: 0, watch: 'forever', metrics: [probe('a')], colour: 'red' }));
    expect(pathsAndCodes(problems)).toEqual([
      ['monitor.baseline', 'invalid_value'],
      ['monitor.interval', 'invalid_value'],
      ['monitor.failureLimit', 'invalid_value'],
      ['monitor.watch', 'invalid_value'],
      ['monitor.colour', 'unknown_field'],
    ]);
    expect(problems[0]?.message).toBe('a baseline is at least 1s');
  });

  it('refuses a monitor without metrics', async () => {
    expect(pathsAndCodes(await problemsOf(withMonitor({ metrics: [] })))).toEqual([['monitor.metrics', 'invalid_value']]);
    expect(pathsAndCodes(await problemsOf(withMonitor({})))).toEqual([['monitor.metrics', 'field_required']]);
  });

  it('needs exactly one source, a known builtin and a safe, unique name per metric', async () => {
    const problems = await problemsOf(
      withMonitor({
        metrics: [
          { name: 'none' },
          { name: 'both', postgres: 'deadlocks', probe: { sql: 'SELECT 1' } },
          { name: 'cpu', postgres: 'cpu_load' },
          { name: 'Bad Name', postgres: 'deadlocks' },
          { name: 'none', postgres: 'deadlocks' },
        ],
      }),
    );
    expect(pathsAndCodes(problems)).toEqual([
      ['monitor.metrics[0]', 'missing_metric_source'],
      ['monitor.metrics[1]', 'multiple_metric_sources'],
      ['monitor.metrics[2].postgres', 'invalid_value'],
      ['monitor.metrics[3].name', 'invalid_value'],
      ['monitor.metrics[4].name', 'duplicate_name'],
    ]);
    expect(problems[2]?.message).toBe('postgres is one of rollback_ratio, deadlocks, lock_waits, longest_lock_wait, active_connections, commit_rate, statement_time');
  });

  it('refuses a degradation that is not a percentage, bounds that cross and an unknown direction', async () => {
    const problems = await problemsOf(
      withMonitor({
        metrics: [
          probe('a', 'SELECT 1', { degradation: 0.2 }),
          probe('b', 'SELECT 1', { degradation: '20' }),
          probe('c', 'SELECT 1', { degradation: '0%' }),
          probe('d', 'SELECT 1', { degradation: '5000%' }),
          probe('e', 'SELECT 1', { min: 5, max: 5 }),
          probe('f', 'SELECT 1', { direction: 'up' }),
          { name: 'g', postgres: 'commit_rate', degradation: '100%' },
        ],
      }),
    );
    expect(problems.map((problem) => [problem.path, problem.code, problem.message])).toEqual([
      ['monitor.metrics[0].degradation', 'invalid_value', 'a percentage is written like 20% (a string, with the % sign)'],
      ['monitor.metrics[1].degradation', 'invalid_value', 'a percentage is written like 20% or 12.5%'],
      ['monitor.metrics[2].degradation', 'invalid_value', 'a percentage is more than 0%'],
      ['monitor.metrics[3].degradation', 'invalid_value', 'a percentage is at most 1000%'],
      ['monitor.metrics[4].min', 'invalid_value', 'min (5) must be below max (5)'],
      ['monitor.metrics[5].direction', 'invalid_value', 'direction is one of lower-is-better, higher-is-better'],
      ['monitor.metrics[6].degradation', 'invalid_value', 'a higher-is-better metric cannot drop by 100% or more: give a degradation below 100%'],
    ]);
  });

  it('refuses a probe too frequent or too rare for the interval, and a Prometheus address that is not http(s) or holds a password', async () => {
    const prometheus = (url: string) => ({ url, query: 'up' });
    const problems = await problemsOf(
      withMonitor({
        metrics: [
          { name: 'fast', probe: { sql: 'SELECT 1', every: '5ms' } },
          { name: 'rare', probe: { sql: 'SELECT 1', every: '6s' } },
          { name: 'ftp', prometheus: prometheus('ftp://prom.example.com') },
          { name: 'secret', prometheus: prometheus('http://admin:hunter2@prom.example.com') },
          { name: 'blank', prometheus: { url: 'http://prom', query: '' } },
        ],
      }),
    );
    expect(pathsAndCodes(problems)).toEqual([
      ['monitor.metrics[0].probe.every', 'invalid_value'],
      ['monitor.metrics[1].probe.every', 'invalid_value'],
      ['monitor.metrics[2].prometheus.url', 'invalid_value'],
      ['monitor.metrics[3].prometheus.url', 'invalid_value'],
      ['monitor.metrics[4].prometheus.query', 'invalid_value'],
    ]);
    expect(problems[1]?.message).toContain('leaves windows of 5s without a sample');
    expect(problems[3]?.message).toContain('cannot hold a user name or password');
  });

  it('holds a probe to one read-only query, as verify invariants are', async () => {
    const problems = await problemsOf(
      withMonitor(
        {
          metrics: [
            probe('delete', 'DELETE FROM accounts'),
            probe('two', 'SELECT 1; SELECT 2'),
            probe('cte', 'WITH gone AS (DELETE FROM accounts RETURNING id) SELECT count(*) FROM gone'),
            probe('into', 'SELECT * INTO stolen FROM accounts'),
            probe('lock', 'SELECT id FROM accounts FOR UPDATE'),
            probe('kill', 'SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_stat_activity'),
            probe('settings', "SELECT set_config('default_transaction_read_only', 'off', false)"),
            probe('broken', 'SELEC 1'),
            probe('fine', 'WITH a AS (SELECT 1 AS x) SELECT x FROM a UNION ALL VALUES (2)'),
          ],
        },
        [{ id: 'v', verify: { invariants: [{ name: 'sneaky', sql: 'WITH d AS (UPDATE accounts SET balance = 0 RETURNING 1) SELECT count(*) FROM d', expect: 0 }] } }],
      ),
    );
    expect(problems.map((problem) => [problem.path, problem.code, problem.message])).toEqual([
      ['phases[0].steps[0].verify.invariants[0].sql', 'invalid_sql', 'sql writes (UPDATE in a WITH clause); it may only read'],
      ['monitor.metrics[0].probe.sql', 'invalid_sql', 'sql must be exactly one query (SELECT, VALUES or WITH … SELECT)'],
      ['monitor.metrics[1].probe.sql', 'invalid_sql', 'sql must be exactly one query (SELECT, VALUES or WITH … SELECT)'],
      ['monitor.metrics[2].probe.sql', 'invalid_sql', 'sql writes (DELETE in a WITH clause); it may only read'],
      ['monitor.metrics[3].probe.sql', 'invalid_sql', 'sql creates a table (SELECT … INTO); it may only read'],
      ['monitor.metrics[4].probe.sql', 'invalid_sql', 'sql locks rows (FOR UPDATE / FOR SHARE); it may only read'],
      ['monitor.metrics[5].probe.sql', 'invalid_sql', 'sql calls pg_terminate_backend, which acts beyond reading; it may only read'],
      ['monitor.metrics[6].probe.sql', 'invalid_sql', 'sql calls set_config, which acts beyond reading; it may only read'],
      ['monitor.metrics[7].probe.sql', 'invalid_sql', expect.stringContaining('sql is not valid SQL: syntax error')],
    ]);
  });
});

describe('parseMigrationSpec: analysis steps', () => {
  const monitor = { metrics: [probe('lookup'), { name: 'rollbacks', postgres: 'rollback_ratio' }] };

  it('need a monitor section', async () => {
    const problems = await problemsOf(specWith([{ id: 'soak', analysis: { duration: '60s' } }]));
    expect(problems).toEqual([
      { path: 'phases[0].steps[0].analysis', code: 'monitor_required', message: 'an analysis step judges the metrics of the monitor section: add monitor: {metrics: [...]} to the spec' },
    ]);
  });

  it('name metrics of the monitor, each once', async () => {
    const problems = await problemsOf(withMonitor(monitor, [{ id: 'soak', analysis: { duration: '60s', metrics: ['lookup', 'latency', 'lookup'] } }]));
    expect(problems).toEqual([
      { path: 'phases[0].steps[0].analysis.metrics[1]', code: 'unknown_metric', message: 'no metric "latency" in monitor.metrics (defined: "lookup", "rollbacks")' },
      { path: 'phases[0].steps[0].analysis.metrics[2]', code: 'duplicate_name', message: 'metric "lookup" is listed twice' },
    ]);
  });

  it('last at least one window, with a valid duration and nothing else', async () => {
    const problems = await problemsOf(
      withMonitor({ ...monitor, interval: '10s' }, [
        { id: 'short', analysis: { duration: '5s' } },
        { id: 'bad', analysis: { duration: 'a while', metrics: [] } },
        { id: 'extra', analysis: { duration: '1m', until: 'quiet' } },
        { id: 'missing', analysis: {} },
        { id: 'two', analysis: { duration: '1m' }, approval: {} },
      ]),
    );
    expect(pathsAndCodes(problems)).toEqual([
      ['phases[0].steps[0].analysis.duration', 'analysis_shorter_than_interval'],
      ['phases[0].steps[1].analysis.duration', 'invalid_value'],
      ['phases[0].steps[1].analysis.metrics', 'invalid_value'],
      ['phases[0].steps[2].analysis.until', 'unknown_field'],
      ['phases[0].steps[3].analysis.duration', 'field_required'],
      ['phases[0].steps[4]', 'multiple_step_kinds'],
    ]);
    expect(problems[0]?.message).toBe("an analysis of 5s ends before one window of 10s is judged: give at least the monitor's interval");
  });
});
