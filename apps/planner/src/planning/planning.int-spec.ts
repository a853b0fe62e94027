import { listStreams } from '@bascule/event-store';
import { Client } from 'pg';
import type { PlannerTestApp } from '../testing/planner-test-app';
import { PlannerWorld } from '../testing/planner-world';

jest.setTimeout(120_000);

const validSpec = {
  name: 'widen-balance',
  target: 'app',
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'widen', schema: { operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'CAST(balance AS integer)' } }] } },
        { id: 'index', dependsOn: ['widen'], sql: { up: 'CREATE INDEX accounts_owner ON accounts (owner);', down: 'DROP INDEX accounts_owner;' } },
        { id: 'stamp', sql: { up: 'UPDATE audit_log SET note = note;', irreversible: true } },
      ],
    },
    { name: 'verify', steps: [{ id: 'integrity', verify: { tables: ['accounts'] } }] },
  ],
  rollback: { automatic: true, window: '1h' },
};

describe('planner: POST /migrations (real Postgres + NATS)', () => {
  let world: PlannerWorld;
  let planner: PlannerTestApp;
  let prefix: string;

  const storedStreams = async () => (await listStreams(planner.pool, { prefix: 'migration-' })).length;

  beforeAll(async () => {
    world = await PlannerWorld.start('pl', async (url) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE accounts (id integer PRIMARY KEY, owner text NOT NULL, balance integer NOT NULL)');
      await client.query("INSERT INTO accounts SELECT g, 'owner' || (g % 50), g FROM generate_series(1, 1200) g");
      await client.query('CREATE TABLE audit_log (note text)');
      await client.query('CREATE VIEW rich AS SELECT id FROM accounts WHERE balance > 1000');
      await client.end();
    });
    planner = world.planner;
    prefix = world.prefix;
  });

  afterAll(async () => {
    await world?.close();
  });

  it('plans from the live target: tables, rows, keys, views, compensations, risks and estimates', async () => {
    const response = await planner.request('POST', '/migrations', validSpec, { 'x-bascule-user': 'ana' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ id: expect.any(String), status: 'planned' });
    const plan = response.body.plan;
    const accounts = plan.tables.find((table: { table: string }) => table.table === 'public.accounts');
    expect(accounts).toMatchObject({ exists: true, rows: 1200, primaryKey: ['id'], dependentViews: ['public.rich'] });
    expect(accounts.bytes).toBeGreaterThan(0);
    expect(accounts.indexes.join()).toContain('accounts_pkey');
    const steps = plan.phases[0].steps;
    expect(steps.map((step: { id: string; wave: number }) => [step.id, step.wave])).toEqual([['widen', 0], ['index', 1], ['stamp', 0]]);
    expect(steps[0]).toMatchObject({ compensation: { action: 'schema.rollback' }, estimate: { rows: 1200, backfillSeconds: expect.any(Number) } });
    expect(steps[2].compensation.action).toBe('irreversible');
    const rules = plan.risks.map((risk: { rule: string; path?: string }) => `${risk.rule}@${risk.path}`);
    expect(rules).toContain('require-concurrent-index-creation@phases[0].steps[1].sql.up');
    expect(rules).toContain('irreversible-step@phases[0].steps[2].sql');
    expect(rules).toContain('table-without-primary-key@phases[0].steps[2]');
    const status = await planner.request('GET', `/migrations/${response.body.id}`);
    expect(status.body).toMatchObject({ id: response.body.id, name: 'widen-balance', status: 'planned', phases: [{ name: 'expand', status: 'pending' }, { name: 'verify' }] });
  });

  it('accepts YAML with Content-Type: application/yaml', async () => {
    const yaml = 'name: from-yaml\ntarget: app\nphases:\n  - name: only\n    steps:\n      - id: check\n        verify: {tables: [accounts]}\n';
    const response = await planner.request('POST', '/migrations?dryRun=true', yaml);
    expect(response.status).toBe(200);
    expect(response.body.plan.tables.map((table: { table: string }) => table.table)).toEqual(['public.accounts']);
  });

  it('lints the author\'s own sql operations inside a schema step', async () => {
    const rawSql = { name: 'raw', target: 'app', phases: [{ name: 'p', steps: [{ id: 'idx', schema: { operations: [{ sql: { up: 'CREATE INDEX accounts_owner2 ON accounts (owner)', down: 'DROP INDEX accounts_owner2' } }] } }] }] };
    const response = await planner.request('POST', '/migrations?dryRun=true', rawSql);
    expect(response.status).toBe(200);
    expect(response.body.plan.risks).toContainEqual(expect.objectContaining({ rule: 'require-concurrent-index-creation', path: 'phases[0].steps[0].schema.operations[0].sql.up' }));
  });

  it('refuses an invalid spec with every problem and its path, storing nothing', async () => {
    const before = await storedStreams();
    const bad = {
      ...validSpec,
      phases: [
        { name: 'expand', steps: [{ id: 'widen', schema: { operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', nope: 1 } }] } }, { id: 'x', dependsOn: ['nope'], sql: { up: 'select 1' } }] },
      ],
    };
    const response = await planner.request('POST', '/migrations', bad);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INVALID_MIGRATION_SPEC');
    const paths = response.body.details.map((problem: { path: string }) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['phases[0].steps[0].schema.operations[0].alter_column.nope', 'phases[0].steps[1].sql.down', 'phases[0].steps[1].dependsOn[0]']));
    expect(await storedStreams()).toBe(before);
  });

  it('validates schema steps against the live target and refuses two schema steps on one schema', async () => {
    const before = await storedStreams();
    const missing = { ...validSpec, phases: [{ name: 'p', steps: [{ id: 'a', schema: { operations: [{ drop_column: { table: 'nowhere', column: 'c' } }] } }] }] };
    const live = await planner.request('POST', '/migrations', missing);
    expect(live.status).toBe(400);
    expect(live.body.details[0].path).toMatch(/^phases\[0\]\.steps\[0\]\.schema\.operations\[0\]/);
    const twice = {
      ...validSpec,
      phases: [
        { name: 'one', steps: [{ id: 'a', schema: { operations: [{ create_table: { name: 't1', columns: [{ name: 'id', type: 'int', pk: true }] } }] } }] },
        { name: 'two', steps: [{ id: 'b', schema: { operations: [{ create_table: { name: 't2', columns: [{ name: 'id', type: 'int', pk: true }] } }] } }] },
      ],
    };
    const shared = await planner.request('POST', '/migrations', twice);
    expect(shared.status).toBe(400);
    expect(shared.body.details).toEqual([expect.objectContaining({ path: 'phases[1].steps[0].schema', code: 'schema_already_migrated', message: expect.stringMatching(/merge/) })]);
    expect(await storedStreams()).toBe(before);
  });

  it('answers malformed JSON and malformed YAML with 400 and a code, storing nothing', async () => {
    const before = await storedStreams();
    const json = await fetch(`${planner.url}/migrations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ code: 'INVALID_JSON', message: expect.stringContaining('not valid JSON') });
    const yaml = await planner.request('POST', '/migrations', 'name: [unclosed\n');
    expect(yaml.status).toBe(400);
    expect(yaml.body.code).toBe('INVALID_MIGRATION_SPEC');
    expect(await storedStreams()).toBe(before);
  });

  it('names the missing env var of an unconfigured target', async () => {
    const response = await planner.request('POST', '/migrations', { ...validSpec, target: 'elsewhere' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'TARGET_NOT_CONFIGURED', details: { env: 'BASCULE_TARGET_ELSEWHERE_URL' } });
    expect(response.body.message).toContain('BASCULE_TARGET_ELSEWHERE_URL');
  });

  it('dryRun plans and stores nothing', async () => {
    const before = await storedStreams();
    const response = await planner.request('POST', '/migrations?dryRun=true', validSpec);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: null, dryRun: true, plan: { phases: [{ name: 'expand' }, { name: 'verify' }] } });
    expect(await storedStreams()).toBe(before);
  });

  it('honours Idempotency-Key: same request replays, a different one is 422', async () => {
    const key = { 'idempotency-key': `k-${prefix}` };
    const first = await planner.request('POST', '/migrations', validSpec, key);
    const again = await planner.request('POST', '/migrations', validSpec, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await planner.request('POST', '/migrations', { ...validSpec, name: 'other' }, key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const ids = (await planner.request('GET', '/migrations')).body.map((migration: { id: string }) => migration.id);
    expect(ids.filter((id: string) => id === first.body.id)).toHaveLength(1);
  });

  it('answers 404 for an unknown migration and publishes the JSON Schema', async () => {
    expect((await planner.request('GET', '/migrations/nope')).body).toMatchObject({ code: 'MIGRATION_NOT_FOUND' });
    expect((await planner.request('POST', '/migrations/nope/start')).status).toBe(404);
    const schema = await planner.request('GET', '/schema/migration.json');
    expect(schema.status).toBe(200);
    expect(schema.body.properties.phases).toBeDefined();
    expect((await planner.request('GET', '/docs-json')).body.paths['/migrations/{id}/start']).toBeDefined();
  });
});
