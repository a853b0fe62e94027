import { listStreams } from '@bascule/event-store';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { ACCOUNT_ROWS, columnsOf, createAccountsTarget, widenBalanceStep } from './support/accounts-target';
import { hasType, ofType, waitForEvents } from './support/migration-events';
import { startOrchestrationStack, typesOf, type OrchestrationStack } from './support/orchestration-stack';

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('orchestrated migrations: the six services as separate processes', () => {
  const stacks: OrchestrationStack[] = [];

  async function stack(): Promise<OrchestrationStack> {
    const started = await startOrchestrationStack(createAccountsTarget);
    stacks.push(started);
    return started;
  }

  afterEach(async () => {
    for (const started of stacks.splice(0)) await started.close();
  });

  it('runs a three-phase migration (schema, sql, verify) to expanded, then completed on POST /complete', async () => {
    const { planner, app, stream, logDir } = await stack();
    const posted = await planner.plan({
      name: 'widen-balance',
      target: 'app',
      phases: [
        { name: 'expand', steps: [widenBalanceStep('widen-balance')] },
        {
          name: 'data',
          steps: [
            {
              id: 'account-flags',
              sql: {
                up: 'CREATE TABLE account_flags (account_id integer PRIMARY KEY REFERENCES accounts (id), flag text NOT NULL)',
                down: 'DROP TABLE account_flags',
                verify: 'SELECT account_id, flag FROM account_flags WHERE false',
              },
            },
          ],
        },
        {
          name: 'verify',
          steps: [
            {
              id: 'integrity',
              verify: {
                tables: ['accounts', 'ledger'],
                invariants: [{ name: 'no-orphan-entries', sql: 'SELECT count(*) FROM ledger l LEFT JOIN accounts a ON a.id = l.account_id WHERE a.id IS NULL', expect: 0 }],
              },
            },
          ],
        },
      ],
      rollback: { automatic: true, window: '72h' },
    });
    expect(posted.status).toBe('planned');
    expect((posted.plan as { phases: unknown[] }).phases).toHaveLength(3);

    await planner.send(posted.id, 'start');
    const expanded = await watchMigration(planner, posted.id, { until: statusIs('expanded'), wanted: `expanded (logs: ${logDir})`, timeoutMs: 90_000 });
    expect(expanded.phases.map((phase) => phase.status)).toEqual(['completed', 'completed', 'completed']);
    // Expanded: both versions live, the new column beside the old one.
    expect(await columnsOf(app, 'accounts')).toEqual(expect.arrayContaining(['balance integer', '_bascule_new_balance bigint']));

    await planner.send(posted.id, 'complete');
    await watchMigration(planner, posted.id, { until: statusIs('completed'), wanted: `completed (logs: ${logDir})`, timeoutMs: 60_000 });

    const projection = await planner.get(posted.id);
    expect(projection).toMatchObject({ id: posted.id, name: 'widen-balance', status: 'completed' });
    expect(projection.phases.map((phase) => phase.status)).toEqual(['completed', 'completed', 'completed']);
    expect(await columnsOf(app, 'accounts')).toEqual(['id integer', 'owner text', 'balance bigint']);
    expect((await app.query('SELECT count(*)::int AS n FROM account_flags')).rows[0].n).toBe(0);
    expect((await app.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).toBe(ACCOUNT_ROWS);

    const events = await stream(posted.id);
    expect(ofType(events, 'PhaseCompleted')).toHaveLength(3);
    expect(ofType(events, 'VerifyStepPassed')).toHaveLength(1);
    expect(ofType(events, 'MigrationCompleted')).toHaveLength(1);
    const gate = ofType(events, 'DataCompared').find((event) => (event.data as { label: string }).label === 'after-phase-0');
    expect(gate?.data).toMatchObject({ passed: true, against: 'before-phase-0' });
    expect(await planner.report(posted.id)).toContain('widen-balance');
  });

  it('resumes a migration after the planner is killed (SIGKILL) mid-backfill and started again', async () => {
    const { planner, services, stream, logDir } = await stack();
    const posted = await planner.plan({
      name: 'widen-balance-slowly',
      target: 'app',
      phases: [
        { name: 'expand', steps: [widenBalanceStep('widen-slowly', { batchSize: 250, delayMs: 40 })] },
        { name: 'verify', steps: [{ id: 'integrity', verify: { tables: ['accounts'] } }] },
      ],
    });
    await planner.send(posted.id, 'start');
    await waitForEvents(() => stream(posted.id), hasType('BackfillCheckpointRecorded'), 'the backfill to begin');

    const exit = await services.kill('planner');
    expect(exit?.signal).toBe('SIGKILL');
    // While the planner is down the schema-agent finishes the step; its outcome waits on the bus and in the store.
    await waitForEvents(() => stream(posted.id), hasType('SchemaStepExpanded'), 'the schema step to expand without the planner');
    await services.launch('planner');

    await watchMigration(planner, posted.id, { until: statusIs('expanded'), wanted: `expanded after the restart (logs: ${logDir})`, timeoutMs: 90_000 });
    await planner.send(posted.id, 'complete');
    await watchMigration(planner, posted.id, { until: statusIs('completed'), wanted: `completed (logs: ${logDir})`, timeoutMs: 60_000 });

    // Deterministic ids: decisions taken again after the restart appended nothing twice.
    const types = typesOf(await stream(posted.id));
    for (const once of ['MigrationStarted', 'MigrationExpanded', 'MigrationCompleted', 'SchemaStepExpanded', 'VerifyStepPassed']) {
      expect({ once, count: types.filter((type) => type === once).length }).toEqual({ once, count: 1 });
    }
    expect(types.filter((type) => type === 'StepDispatched')).toHaveLength(2);
    expect(types.filter((type) => type === 'PhaseStarted')).toHaveLength(2);
  });

  it('rejects invalid specs with every problem and its path, storing nothing', async () => {
    const { planner, store } = await stack();
    const answer = await planner.postSpec({
      name: 'broken',
      target: 'app',
      phases: [
        { name: 'expand', steps: [{ id: 'flags-table', sql: { up: 'CREATE TABLE flags (id int)' } }] },
        { name: 'data', steps: [{ id: 'flags', dependsOn: ['nowhere'], verify: { tables: ['flags'] } }, { id: 'no-kind' }] },
      ],
      rollback: { window: 'forever' },
    });
    expect(answer.status).toBe(400);
    for (const path of ['phases[0].steps[0].sql.down', 'phases[1].steps[0].dependsOn[0]', 'phases[1].steps[1]', 'rollback.window']) {
      expect({ path, found: answer.text.includes(path) }).toEqual({ path, found: true });
    }
    // Valid on paper, wrong for this target: the checks against the live schema name each operation's field.
    const live = await planner.postSpec({
      name: 'wrong-for-target',
      target: 'app',
      phases: [
        {
          name: 'expand',
          steps: [
            {
              id: 'widen',
              schema: {
                operations: [
                  { alter_column: { table: 'accounts', column: 'balance', type: 'bigint' } },
                  { alter_column: { table: 'accounts', column: 'no_such_column', type: 'text', up: 'x', down: 'x' } },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(live.status).toBe(400);
    for (const path of [
      'phases[0].steps[0].schema.operations[0].alter_column.up',
      'phases[0].steps[0].schema.operations[0].alter_column.down',
      'phases[0].steps[0].schema.operations[1].alter_column.column',
    ]) {
      expect({ path, found: live.text.includes(path) }).toEqual({ path, found: true });
    }
    const yaml = await planner.postSpec('name: [unclosed\n');
    expect(yaml.status).toBe(400);

    const list = await planner.list();
    expect(list).toMatchObject({ status: 200, body: [] });
    expect(await listStreams(store, { prefix: 'migration-' })).toEqual([]);
  });
});
