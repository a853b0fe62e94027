import { planSummary } from './plan-summary';

const step = {
  id: 'orders-currency',
  kind: 'schema',
  dependsOn: [],
  wave: 0,
  summary: 'schema (public): add_column, alter_column',
  compensation: { action: 'schema.rollback', description: 'drop the new version schema' },
  tables: ['public.orders'],
  estimate: { rows: 30000, backfillSeconds: 1.5 },
  risks: [{ rule: 'ban-char-field', severity: 'warning', message: 'use text', path: 'phases[0].steps[0].sql.up' }],
};

describe('planSummary', () => {
  it('lists each step with its undo and estimate, the baselined tables and each risk once', () => {
    const lines = planSummary({
      phases: [{ name: 'expand', steps: [step] }],
      tables: [
        { table: 'public.orders', exists: true, rows: 30000, bytes: 1, primaryKey: ['id'], indexes: [], foreignKeys: [], dependentViews: [] },
        { table: 'public.currencies', exists: false, rows: null, bytes: null, primaryKey: [], indexes: [], foreignKeys: [], dependentViews: [] },
      ],
      risks: [step.risks[0]],
      estimatedSeconds: 1.5,
    });
    expect(lines).toEqual([
      'phase 1 "expand"',
      '  orders-currency (schema): schema (public): add_column, alter_column',
      '    undo: schema.rollback (drop the new version schema); estimate: 30,000 rows, backfill ~1.5 s',
      'tables baselined and compared: public.orders 30,000 rows',
      'risk (warning) ban-char-field at phases[0].steps[0].sql.up: use text',
      'estimated duration: 1.5 s',
    ]);
  });

  it('says so instead of failing when the plan does not have the contract shape', () => {
    expect(planSummary({ phases: 'none' })).toEqual([expect.stringMatching(/^\(unreadable plan: /)]);
  });
});
