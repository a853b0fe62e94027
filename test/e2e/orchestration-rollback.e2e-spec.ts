import { randomBytes } from 'node:crypto';
import { readStream, type StoredEvent } from '@bascule/event-store';
import { ROLLBACK_REJECTIONS_STREAM, type TableComparison } from '@bascule/contracts';
import { TEST_NATS_URL } from '@bascule/testing';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { publishRollbackCommand } from '../../apps/cli/src/commands/migrations/on-call-rollback';
import { columnsOf, createAccountsTarget, widenBalanceStep } from './support/accounts-target';
import { hasType, ofType, waitForEvents } from './support/migration-events';
import { startOrchestrationStack, type OrchestrationStack } from './support/orchestration-stack';
import { snapshotTarget } from './support/target-snapshot';

const TABLES = ['accounts', 'ledger'];

interface Compared {
  label: string;
  against: string;
  passed: boolean;
  tables: TableComparison[];
}

function restorationOf(events: StoredEvent[]): Compared | undefined {
  return ofType(events, 'DataCompared')
    .map((event) => event.data as Compared)
    .find((data) => data.label === 'restoration');
}

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('rollback across the six services', () => {
  const stacks: OrchestrationStack[] = [];

  async function stack(): Promise<OrchestrationStack> {
    const started = await startOrchestrationStack(createAccountsTarget);
    stacks.push(started);
    return started;
  }

  afterEach(async () => {
    for (const started of stacks.splice(0)) await started.close();
  });

  it('rolls back by itself when a sql step fails its verify, leaving the target identical to its baseline', async () => {
    const { planner, app, target, stream, logDir } = await stack();
    const before = await snapshotTarget(app, target.url, TABLES);
    const posted = await planner.plan({
      name: 'doomed',
      target: 'app',
      phases: [
        { name: 'expand', steps: [widenBalanceStep('widen-balance')] },
        {
          name: 'data',
          steps: [
            {
              id: 'audit-table',
              sql: {
                up: "CREATE TABLE audit (id serial PRIMARY KEY, note text); INSERT INTO audit (note) VALUES ('one')",
                down: 'DROP TABLE audit',
                // Raises (division by zero) unless 99 rows exist: the injected failure.
                verify: 'SELECT 1 / (count(*) = 99)::int FROM audit',
              },
            },
          ],
        },
      ],
      rollback: { automatic: true, window: '72h' },
    });
    await planner.send(posted.id, 'start');
    const rolledBack = await watchMigration(planner, posted.id, {
      until: statusIs('rolled_back'),
      wanted: `rolled_back (logs: ${logDir})`,
      givesUpOn: ['completed', 'expanded'],
      timeoutMs: 90_000,
    });
    expect(rolledBack.rollback).toMatchObject({ trigger: 'automatic', compensated: ['widen-balance'] });
    expect(rolledBack.failure).toMatchObject({ stepId: 'audit-table' });

    const events = await waitForEvents(() => stream(posted.id), (all) => restorationOf(all) !== undefined, 'the restoration comparison');
    const failed = ofType(events, 'SqlStepFailed')[0]?.data;
    expect(failed).toMatchObject({ stepId: 'audit-table', phase: 'verify' });
    const restoration = restorationOf(events);
    expect(restoration).toMatchObject({ against: 'before-phase-0', passed: true });
    // The verifier compares the tables the migration touches; our own snapshot below covers the others too.
    expect(restoration?.tables.map(({ table, equal }) => ({ table: table.replace(/^public\./, ''), equal }))).toEqual([{ table: 'accounts', equal: true }]);
    // Our own check, independent of the data-verifier: same schema dump, same rows.
    expect(await snapshotTarget(app, target.url, TABLES)).toEqual(before);
    expect((await app.query("SELECT to_regclass('public.audit') AS audit")).rows[0].audit).toBeNull();
  });

  it('rolls back mid-backfill on the on-call NATS command; a duplicate is harmless, a late one and an unknown id are rejected', async () => {
    const { planner, app, target, stream, busPrefix, store, logDir } = await stack();
    const before = await snapshotTarget(app, target.url, TABLES);
    const posted = await planner.plan({
      name: 'slow-widen',
      target: 'app',
      phases: [{ name: 'expand', steps: [widenBalanceStep('widen-slowly', { batchSize: 100, delayMs: 30 })] }],
    });
    await planner.send(posted.id, 'start');
    await waitForEvents(() => stream(posted.id), hasType('BackfillCheckpointRecorded'), 'the backfill to begin');

    const request = { migrationId: posted.id, reason: 'checkout p99 doubled', requestedBy: 'alice' };
    await publishRollbackCommand(TEST_NATS_URL, busPrefix, request);
    await publishRollbackCommand(TEST_NATS_URL, busPrefix, request);
    const rolledBack = await watchMigration(planner, posted.id, { until: statusIs('rolled_back'), wanted: `rolled_back (logs: ${logDir})`, givesUpOn: ['completed'], timeoutMs: 60_000 });
    expect(rolledBack.rollback).toMatchObject({ trigger: 'on-call', requestedBy: 'alice', reason: 'checkout p99 doubled' });
    // Rolled back before the backfill could finish: the step never expanded.
    const events = await waitForEvents(() => stream(posted.id), (all) => restorationOf(all) !== undefined, 'the restoration comparison');
    expect(ofType(events, 'SchemaStepExpanded')).toHaveLength(0);
    expect(ofType(events, 'RollbackStarted')).toHaveLength(1);
    expect(ofType(events, 'MigrationRolledBack')).toHaveLength(1);
    expect(restorationOf(events)).toMatchObject({ passed: true });
    expect(restorationOf(events)?.tables.every((table) => table.equal)).toBe(true);
    expect(await columnsOf(app, 'accounts')).toEqual(['id integer', 'owner text', 'balance integer']);
    expect(await snapshotTarget(app, target.url, TABLES)).toEqual(before);

    await publishRollbackCommand(TEST_NATS_URL, busPrefix, { ...request, reason: 'pressed twice' });
    const late = await waitForEvents(() => stream(posted.id), hasType('RollbackRejected'), 'a rejection of the late command');
    expect(ofType(late, 'RollbackRejected')[0].data).toMatchObject({ code: 'already_rolled_back', requestedBy: 'alice' });
    expect(ofType(late, 'RollbackStarted')).toHaveLength(1);

    const unknownId = `no-such-migration-${randomBytes(4).toString('hex')}`;
    await publishRollbackCommand(TEST_NATS_URL, busPrefix, { migrationId: unknownId, reason: 'typo', requestedBy: 'bob' });
    const rejections = await waitForEvents(
      () => readStream(store, ROLLBACK_REJECTIONS_STREAM),
      (all) => all.some((event) => (event.data as { migrationId: string }).migrationId === unknownId),
      'the rejection of an unknown migration id',
    );
    expect(rejections.find((event) => (event.data as { migrationId: string }).migrationId === unknownId)).toMatchObject({
      type: 'RollbackRejected',
      data: { code: 'unknown_migration', requestedBy: 'bob' },
    });
  });
});
