import type { MigrationSpec, PlannedTable } from '@bascule/contracts';
import { buildPlan } from './build-plan';
import { loadRelationParser } from './sql-relations';

const table = (name: string): PlannedTable => ({ table: name, exists: true, rows: 10, bytes: 1, primaryKey: [], indexes: [], foreignKeys: [], dependentViews: [] });
const spec = (phases: MigrationSpec['phases']): MigrationSpec => ({ name: 'demo', target: 'app', rehearse: false, rollback: { automatic: true, window: '1h' }, phases });
const purge = { id: 'purge', sql: { up: 'DELETE FROM accounts WHERE closed; DROP TABLE audit.old_log', irreversible: true } };
const proposals = (plan: ReturnType<typeof buildPlan>) => plan.risks.filter((risk) => risk.rule === 'backup-before-irreversible');

describe('backup proposal', () => {
  beforeAll(() => loadRelationParser());

  it('proposes a backup of the tables an irreversible sql step touches when no backup step runs before it', () => {
    const plan = buildPlan(spec([{ name: 'contract', steps: [purge] }]), [table('public.accounts')], new Map());
    expect(proposals(plan)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        path: 'phases[0].steps[0]',
        message: expect.stringContaining('public.accounts, audit.old_log'),
        suggestion: expect.stringContaining('backup: {tables: [public.accounts, audit.old_log]}'),
      }),
    ]);
    expect(plan.phases[0]?.steps[0]?.risks.map((risk) => risk.rule)).toContain('backup-before-irreversible');
  });

  it('is satisfied by a backup in an earlier phase, or in the same phase when the step depends on it, covering those tables', () => {
    const backup = { id: 'snap', backup: { tables: ['accounts', 'audit.old_log'] } };
    expect(proposals(buildPlan(spec([{ name: 'safety', steps: [backup] }, { name: 'contract', steps: [purge] }]), [], new Map()))).toEqual([]);
    expect(proposals(buildPlan(spec([{ name: 'contract', steps: [backup, { ...purge, dependsOn: ['snap'] }] }]), [], new Map()))).toEqual([]);
    // In the same phase without dependsOn the two run in parallel: no guarantee the dump comes first.
    expect(proposals(buildPlan(spec([{ name: 'contract', steps: [backup, purge] }]), [], new Map()))).toHaveLength(1);
    // A backup of another table leaves the uncovered one proposed.
    const partial = proposals(buildPlan(spec([{ name: 'safety', steps: [{ id: 'snap', backup: { tables: ['accounts'] } }] }, { name: 'contract', steps: [purge] }]), [], new Map()));
    expect(partial.map((risk) => risk.message)).toEqual([expect.stringMatching(/covers audit\.old_log$/)]);
  });

  it('proposes one for drop_table and drop_column in a schema step, never for a reversible one', () => {
    const drops = { id: 'drops', schema: { schema: 'billing', operations: [{ drop_column: { table: 'invoices', column: 'legacy' } }, { drop_table: { name: 'stale' } }] } };
    const reversible = { id: 'seed', sql: { up: 'UPDATE accounts SET x = 1', down: 'UPDATE accounts SET x = 0' } };
    const plan = buildPlan(spec([{ name: 'expand', steps: [drops, reversible] }]), [], new Map());
    expect(proposals(plan)).toEqual([expect.objectContaining({ path: 'phases[0].steps[0]', message: expect.stringContaining('billing.invoices, billing.stale') })]);
  });

  it('names every table of the migration when the irreversible SQL names none it can tell', () => {
    const opaque = { id: 'opaque', sql: { up: 'SELECT cleanup()', irreversible: true } };
    const verify = { id: 'check', verify: { tables: ['accounts'], checksums: true } };
    const plan = buildPlan(spec([{ name: 'contract', steps: [verify, opaque] }]), [table('public.accounts')], new Map());
    expect(proposals(plan)).toEqual([expect.objectContaining({ path: 'phases[0].steps[1]', message: expect.stringContaining('public.accounts') })]);
  });

  it('plans the backup step itself: summary, nothing to undo, its tables, no primary-key warning', () => {
    const plan = buildPlan(spec([{ name: 'safety', steps: [{ id: 'snap', backup: { tables: ['accounts', 'gone'] } }] }]), [table('public.accounts')], new Map());
    const [step] = plan.phases[0]?.steps ?? [];
    expect(step).toMatchObject({ kind: 'backup', compensation: { action: 'none' }, tables: ['public.accounts', 'public.gone'] });
    expect(step?.summary).toMatch(/^backup: accounts, gone \(pg_dump custom format/);
    expect(step?.risks.map((risk) => [risk.rule, risk.path])).toEqual([['backup-table-missing', 'phases[0].steps[0].backup.tables[1]']]);
  });
});
