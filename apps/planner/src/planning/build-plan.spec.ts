import type { MigrationSpec, PlannedTable } from '@bascule/contracts';
import { buildPlan } from './build-plan';
import { loadRelationParser } from './sql-relations';

const accounts: PlannedTable = { table: 'public.accounts', exists: true, rows: 40_000, bytes: 1, primaryKey: ['id'], indexes: [], foreignKeys: [], dependentViews: [] };
const missing: PlannedTable = { table: 'public.ledger', exists: false, rows: null, bytes: null, primaryKey: [], indexes: [], foreignKeys: [], dependentViews: [] };

const spec: MigrationSpec = {
  name: 'demo',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '1h' },
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'widen', schema: { schema: 'public', operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'balance' } }] } },
        { id: 'ledger', dependsOn: ['widen'], schema: { schema: 'audit', operations: [{ create_table: { name: 'ledger', columns: [{ name: 'id', type: 'int', pk: true }] } }] } },
      ],
    },
    { name: 'check', steps: [{ id: 'both', verify: { tables: ['accounts', 'ledger'], checksums: true } }, { id: 'ok', approval: {} }] },
  ],
};

describe('buildPlan', () => {
  beforeAll(() => loadRelationParser());

  it('orders waves, estimates backfills from rows, and names what cannot be verified', () => {
    const plan = buildPlan(spec, [accounts, missing], new Map());
    const [expand, check] = plan.phases;
    expect(expand?.steps.map((step) => [step.id, step.wave, step.tables])).toEqual([
      ['widen', 0, ['public.accounts']],
      ['ledger', 1, ['audit.ledger']],
    ]);
    expect(expand?.steps[0]?.estimate).toEqual({ rows: 40_000, backfillSeconds: 2 });
    expect(expand?.steps[1]?.estimate).toEqual({ rows: null, backfillSeconds: null });
    expect(check?.steps.map((step) => step.compensation.action)).toEqual(['none', 'none']);
    expect(plan.tables).toEqual([accounts]);
    expect(plan.estimatedSeconds).toBe(2);
    expect(plan.risks).toEqual([expect.objectContaining({ rule: 'verify-table-not-baselined', path: 'phases[1].steps[0].verify.tables[1]' })]);
  });

  it('plans an analysis step as one that touches nothing and needs no undoing', () => {
    const soak = { id: 'soak', analysis: { duration: '60s', metrics: ['lookup'] } };
    const plan = buildPlan({ ...spec, phases: [{ name: 'soak', steps: [soak, { id: 'all', analysis: { duration: '5m' } }] }] }, [accounts], new Map());
    expect(plan.phases[0]?.steps.map((step) => [step.kind, step.summary, step.compensation.action, step.tables])).toEqual([
      ['analysis', 'analysis for 60s: lookup', 'none', []],
      ['analysis', 'analysis for 5m: every monitor metric', 'none', []],
    ]);
  });
});
