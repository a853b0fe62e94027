import { Pool, type PoolClient } from 'pg';
import { TEST_NATS_URL } from '@bascule/testing';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { publishRollbackCommand } from '../../apps/cli/src/commands/migrations/on-call-rollback';
import { columnsOf, createAccountsTarget, widenBalanceStep } from './support/accounts-target';
import { startOrchestrationStack, type OrchestrationStack } from './support/orchestration-stack';

/** A transaction that has written (so it holds an xid, as a batch job or a stuck client does) and stays open. */
async function openWritingTransaction(pool: Pool, table: string): Promise<PoolClient> {
  const client = await pool.connect();
  await client.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, note text)`);
  await client.query('BEGIN');
  await client.query(`INSERT INTO ${table} (note) VALUES ('nightly batch, still running')`);
  return client;
}

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('on-call rollback while unrelated transactions stay open on the same server', () => {
  let stack: OrchestrationStack | undefined;
  const blockers: PoolClient[] = [];

  afterEach(async () => {
    for (const blocker of blockers.splice(0)) {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
    }
    await stack?.close();
    stack = undefined;
  });

  it('reaches rolled_back without waiting for a writing transaction in the target database or in the event store database', async () => {
    stack = await startOrchestrationStack(createAccountsTarget);
    const { planner, app, store, busPrefix, logDir } = stack;
    const posted = await planner.plan({ name: 'widen-then-regret', target: 'app', phases: [{ name: 'expand', steps: [widenBalanceStep('widen-balance')] }] });
    await planner.send(posted.id, 'start');
    await watchMigration(planner, posted.id, { until: statusIs('expanded'), wanted: `expanded (logs: ${logDir})`, timeoutMs: 90_000 });

    // Another database of the server (the application's own, on a table the migration does not
    // touch) and the event store's database, on a table that is not the log.
    blockers.push(await openWritingTransaction(app, 'nightly_batch'));
    blockers.push(await openWritingTransaction(store, 'public.operator_notes'));
    const sent = Date.now();
    await publishRollbackCommand(TEST_NATS_URL, busPrefix, { migrationId: posted.id, reason: 'p99 doubled', requestedBy: 'oncall' });
    // The blockers stay open for the whole wait: before the fix the relay published nothing past
    // the oldest of them, and this timed out.
    const rolledBack = await watchMigration(planner, posted.id, {
      until: statusIs('rolled_back'),
      wanted: `rolled_back while both transactions are open (logs: ${logDir})`,
      givesUpOn: ['completed', 'failed'],
      timeoutMs: 20_000,
      intervalMs: 20,
    });
    process.stdout.write(`on-call command → rolled_back with two writing transactions open: ${Date.now() - sent} ms\n`);
    expect(rolledBack.rollback).toMatchObject({ trigger: 'on-call', requestedBy: 'oncall' });
    expect(await columnsOf(app, 'accounts')).toEqual(['id integer', 'owner text', 'balance integer']);
    for (const blocker of blockers) {
      expect((await blocker.query<{ writing: boolean }>('SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS writing')).rows[0].writing).toBe(true);
    }
  });
});
