import { Client } from 'pg';
import { has, type PlannerTestApp } from '../testing/planner-test-app';
import { PlannerWorld } from '../testing/planner-world';

jest.setTimeout(120_000);

describe('planner metrics on /metrics (real Postgres + NATS)', () => {
  let world: PlannerWorld;
  let planner: PlannerTestApp;

  /** Scrapes /metrics until every pattern matches (runs are folded at scrape time, and every 5 s). */
  async function scrapeUntil(patterns: RegExp[]): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const text = (await planner.request('GET', '/metrics')).text;
      if (patterns.every((pattern) => pattern.test(text))) return text;
      if (Date.now() > deadline) throw new Error(`/metrics never matched ${patterns.filter((pattern) => !pattern.test(text)).join(', ')}:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    world = await PlannerWorld.start('pm_metrics', async (url) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)');
      await client.end();
    });
    planner = world.planner;
  });

  afterAll(async () => {
    await world?.close();
  });

  it('counts the start it accepted, the failed sql step and its phase, and the migration as failed', async () => {
    const spec = { name: 'touch', target: 'app', rollback: { automatic: false }, phases: [{ name: 'only', steps: [{ id: 'touch', sql: { up: 'UPDATE accounts SET balance = balance', down: 'SELECT 1' } }] }] };
    const created = await planner.request('POST', '/migrations', spec, { 'x-bascule-user': 'ana' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await scrapeUntil([/^bascule_migrations\{status="planned"\} 1$/m, /^bascule_migrations\{status="failed"\} 0$/m]);

    expect((await planner.request('POST', `/migrations/${id}/start`, undefined, { 'x-bascule-user': 'ana' })).status).toBe(202);
    await planner.waitFor(id, has('PhaseStarted'), 'PhaseStarted');
    await planner.record(id, 'BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    await planner.waitFor(id, has('StepDispatched'), 'the sql step dispatched');
    await planner.record(id, 'SqlStepFailed', { stepId: 'touch', target: 'app', phase: 'apply', code: 'sql_failed', message: 'boom', pgCode: null });

    const text = await scrapeUntil([
      /^bascule_migrations\{status="failed"\} 1$/m,
      /^bascule_step_duration_seconds_count\{kind="sql",outcome="failed"\} 1$/m,
      /^bascule_phase_duration_seconds_count\{outcome="failed"\} 1$/m,
    ]);
    expect(text).toMatch(/^bascule_migrations\{status="planned"\} 0$/m);
    expect(text).toMatch(/^bascule_migration_commands_total\{action="start"\} 1$/m);
    expect(text).not.toMatch(/outcome="succeeded"\} [1-9]/);
    // The planner's own consumers are on /metrics too: the nudges it handled.
    expect(text).toMatch(/^bascule_messages_handled_total\{consumer="planner-events-[A-Za-z]+",outcome="acked"\} [1-9]/m);
  });
});
