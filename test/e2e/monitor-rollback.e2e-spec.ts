import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { startOrchestrationStack, typesOf, type OrchestrationStack } from './support/orchestration-stack';

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('monitor across the six services: a regression rolls the migration back by itself', () => {
  let stack: OrchestrationStack | undefined;

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('a sql step that drops the index a probe relies on: analysis fails, automatic rollback, the index is back', async () => {
    stack = await startOrchestrationStack(async (app) => {
      await app.query(`CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL);
                       INSERT INTO accounts SELECT g, g % 50000 FROM generate_series(1, 200000) g;
                       CREATE INDEX accounts_balance_idx ON accounts (balance);
                       ANALYZE accounts`);
    });
    const { planner, app, logDir } = stack;
    const posted = await planner.plan({
      name: 'drop-balance-index',
      target: 'app',
      rollback: { automatic: true, window: '72h' },
      monitor: {
        baseline: '3s',
        interval: '1s',
        failureLimit: 2,
        metrics: [{ name: 'balance-lookup', probe: { sql: 'SELECT id FROM accounts WHERE balance = 4242', every: '50ms' } }],
      },
      phases: [
        { name: 'cleanup', steps: [{ id: 'drop-index', sql: { up: 'DROP INDEX accounts_balance_idx', down: 'CREATE INDEX accounts_balance_idx ON accounts (balance)' } }] },
        { name: 'soak', steps: [{ id: 'soak', analysis: { duration: '30s' } }] },
      ],
    });
    await planner.send(posted.id, 'start');
    // `failed` comes first (the analysis failed), then the automatic rollback: only these end the wait.
    const final = await watchMigration(planner, posted.id, {
      until: statusIs('rolled_back'),
      wanted: `rolled_back (logs: ${logDir})`,
      givesUpOn: ['rollback_failed', 'completed', 'expanded'],
      timeoutMs: 120_000,
    });

    const events = await stack.stream(posted.id);
    const types = typesOf(events);
    expect(types.indexOf('MonitorBaselineRecorded')).toBeLessThan(types.indexOf('PhaseStarted'));
    const failure = events.find((event) => event.type === 'AnalysisFailed' || event.type === 'AnalysisStepFailed');
    expect(failure?.data).toMatchObject({ metric: 'balance-lookup' });
    const started = events.find((event) => event.type === 'RollbackStarted');
    expect(started?.data).toMatchObject({ trigger: 'automatic', reason: expect.stringContaining('balance-lookup') });
    expect(final.status).toBe('rolled_back');
    expect((await app.query("SELECT to_regclass('accounts_balance_idx') AS found")).rows[0].found).toBe('accounts_balance_idx');
    process.stdout.write(`monitor e2e: ${failure?.type} — ${(failure?.data as { reason: string }).reason}\n`);
  });
});
