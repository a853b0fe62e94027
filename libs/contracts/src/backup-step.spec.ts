import { MigrationSpec, stepKind } from './migration-spec';

const spec = (backup: unknown) => ({ name: 'm', target: 'app', phases: [{ name: 'p', steps: [{ id: 'snap', backup }] }] });

describe('backup step contract', () => {
  it('takes table names, plain or schema-qualified', () => {
    const parsed = MigrationSpec.parse(spec({ tables: ['accounts', 'ledger.entries', 'Mixed_Case$1'] }));
    expect(stepKind(parsed.phases[0].steps[0])).toBe('backup');
    expect(parsed.phases[0].steps[0].backup).toEqual({ tables: ['accounts', 'ledger.entries', 'Mixed_Case$1'] });
  });

  it('refuses a hostile or malformed name with its path, quoting it', () => {
    for (const hostile of ['accounts; DROP TABLE x', '"accounts"', 'a.b.c', '*', '-accounts', 'acc ounts', '']) {
      const result = MigrationSpec.safeParse(spec({ tables: ['ok', hostile] }));
      expect(result.success).toBe(false);
      const issue = result.error?.issues[0];
      expect(issue?.path).toEqual(['phases', 0, 'steps', 0, 'backup', 'tables', 1]);
      expect(issue?.message).toContain(JSON.stringify(hostile));
    }
  });

  it('needs at least one table and nothing else', () => {
    expect(MigrationSpec.safeParse(spec({ tables: [] })).error?.issues[0]?.message).toBe('a backup step names at least one table');
    expect(MigrationSpec.safeParse(spec({ tables: ['a'], format: 'plain' })).success).toBe(false);
  });
});
