import { listStreams } from '@bascule/event-store';
import { Client } from 'pg';
import type { PlannerTestApp } from '../testing/planner-test-app';
import { PlannerWorld } from '../testing/planner-world';

jest.setTimeout(120_000);

const withSteps = (steps: unknown[]) => ({ name: 'purge-closed', target: 'app', phases: [{ name: 'contract', steps }], rollback: { automatic: true, window: '1h' } });

describe('planner: backup steps at POST /migrations (real Postgres + NATS)', () => {
  let world: PlannerWorld;
  let planner: PlannerTestApp;

  const storedStreams = async () => (await listStreams(planner.pool, { prefix: 'migration-' })).length;

  beforeAll(async () => {
    world = await PlannerWorld.start('plbk', async (url) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE accounts (id integer PRIMARY KEY, closed boolean NOT NULL DEFAULT false)');
      await client.end();
    });
    planner = world.planner;
  });

  afterAll(async () => {
    await world?.close();
  });

  it('refuses a hostile table name with 400, naming it and its path, and records nothing', async () => {
    const before = await storedStreams();
    const hostile = 'accounts"; DROP TABLE accounts; --';
    const response = await planner.request('POST', '/migrations', withSteps([{ id: 'snap', backup: { tables: ['accounts', hostile] } }]));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INVALID_MIGRATION_SPEC');
    expect(response.body.details).toEqual([expect.objectContaining({ path: 'phases[0].steps[0].backup.tables[1]', message: expect.stringContaining('accounts\\"; DROP TABLE accounts; --') })]);
    expect(await storedStreams()).toBe(before);
  });

  it('plans a backup step before an irreversible one, and proposes one where it is missing', async () => {
    const purge = { id: 'purge', sql: { up: 'DELETE FROM accounts WHERE closed', irreversible: true } };
    const bare = await planner.request('POST', '/migrations?dryRun=true', withSteps([purge]));
    expect(bare.status).toBe(200);
    expect(bare.body.plan.risks).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'backup-before-irreversible', path: 'phases[0].steps[0]', message: expect.stringContaining('public.accounts') })]));

    const guarded = await planner.request('POST', '/migrations?dryRun=true', withSteps([{ id: 'snap', backup: { tables: ['accounts'] } }, { ...purge, dependsOn: ['snap'] }]));
    expect(guarded.status).toBe(200);
    expect(guarded.body.plan.risks.map((risk: { rule: string }) => risk.rule)).not.toContain('backup-before-irreversible');
    expect(guarded.body.plan.phases[0].steps[0]).toMatchObject({ kind: 'backup', compensation: { action: 'none' }, tables: ['public.accounts'] });
  });
});
