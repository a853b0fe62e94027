import { parseMigrationSpec } from './parse-migration-spec';
import { CONTRACT_EXAMPLE } from './test-support/contract-example';
import { createItems, pathsAndCodes, problemsOf, specWith } from './test-support/spec-builders';

describe('parseMigrationSpec', () => {
  it('accepts the ARCHITECTURE.md example and applies the defaults', async () => {
    const result = await parseMigrationSpec(CONTRACT_EXAMPLE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec).toEqual({
      name: 'widen-account-balance',
      target: 'app',
      phases: [
        {
          name: 'expand',
          steps: [
            {
              id: 'widen-balance',
              schema: {
                schema: 'public',
                operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'CAST(balance AS integer)' } }],
              },
            },
          ],
        },
        { name: 'verify', steps: [{ id: 'integrity', verify: { tables: ['accounts'], checksums: true } }] },
      ],
      rollback: { automatic: true, window: '72h' },
      rehearse: false,
    });
  });

  it('accepts the same spec as JSON text and as an object', async () => {
    const object = { name: 'm', target: 'app', phases: [{ name: 'p', steps: [{ id: 'a', schema: { operations: [createItems] } }] }] };
    expect((await parseMigrationSpec(JSON.stringify(object), { contentType: 'application/json' })).ok).toBe(true);
    expect((await parseMigrationSpec(object)).ok).toBe(true);
  });

  it('defaults rollback to automatic with a 72h window', async () => {
    const result = await parseMigrationSpec(specWith([{ id: 'a', approval: {} }]));
    expect(result.ok && result.spec.rollback).toEqual({ automatic: true, window: '72h' });
  });

  describe('names and ids', () => {
    it('report a duplicate phase name and a duplicate step id at the duplicate', async () => {
      const problems = await problemsOf({
        name: 'm',
        target: 'app',
        phases: [
          { name: 'p', steps: [{ id: 'a', approval: {} }] },
          { name: 'q', steps: [{ id: 'b', approval: {} }, { id: 'a', approval: {} }] },
          { name: 'p', steps: [{ id: 'c', approval: {} }] },
        ],
      });
      expect(problems).toEqual([
        { path: 'phases[1].steps[1].id', code: 'duplicate_step_id', message: 'step id "a" is already used by phases[0].steps[0]' },
        { path: 'phases[2].name', code: 'duplicate_phase_name', message: 'phase "p" is already defined at phases[0]' },
      ]);
    });

    it.each([
      ['name', 'x"; DROP TABLE accounts; --'],
      ['name', '../../etc/passwd'],
      ['name', ''],
      ['name', 'a'.repeat(64)],
      ['target', 'App'],
      ['target', 'app-1'],
      ['target', 'app\nBASCULE_DATABASE_URL'],
      ['target', 'app_${HOME}'],
    ])('refuses the hostile %s %j', async (field, value) => {
      const problems = await problemsOf(specWith([{ id: 'a', approval: {} }], { [field]: value }));
      expect(pathsAndCodes(problems)).toEqual([[field, 'invalid_value']]);
    });

    it('refuses hostile step ids and phase names at their paths', async () => {
      const problems = await problemsOf({ name: 'm', target: 'app', phases: [{ name: 'p q', steps: [{ id: "a'; --", approval: {} }] }] });
      expect(pathsAndCodes(problems)).toEqual([
        ['phases[0].name', 'invalid_value'],
        ['phases[0].steps[0].id', 'invalid_value'],
      ]);
    });
  });

  describe('dependsOn', () => {
    it('accepts steps of the same phase and of earlier phases', async () => {
      const result = await parseMigrationSpec({
        name: 'm',
        target: 'app',
        phases: [
          { name: 'one', steps: [{ id: 'a', approval: {} }] },
          { name: 'two', steps: [{ id: 'b', approval: {}, dependsOn: ['a'] }, { id: 'c', approval: {}, dependsOn: ['b', 'a'] }] },
        ],
      });
      expect(result.ok).toBe(true);
    });

    it('refuses unknown steps, steps of a later phase (naming it) and repeats', async () => {
      const problems = await problemsOf({
        name: 'm',
        target: 'app',
        phases: [
          { name: 'one', steps: [{ id: 'a', approval: {}, dependsOn: ['ghost', 'b', 'ghost'] }] },
          { name: 'two', steps: [{ id: 'b', approval: {} }] },
        ],
      });
      expect(problems).toEqual([
        { path: 'phases[0].steps[0].dependsOn[0]', code: 'unknown_dependency', message: 'no step "ghost" in this spec' },
        {
          path: 'phases[0].steps[0].dependsOn[1]',
          code: 'dependency_in_later_phase',
          message: 'step "b" is in the later phase "two" (phases[1]); a step may depend only on steps of its own phase or an earlier one',
        },
        { path: 'phases[0].steps[0].dependsOn[2]', code: 'duplicate_dependency', message: '"ghost" is listed twice' },
      ]);
    });

    it('names each cycle, including a step that depends on itself', async () => {
      const problems = await problemsOf({
        name: 'm',
        target: 'app',
        phases: [
          {
            name: 'p',
            steps: [
              { id: 'free', approval: {} },
              { id: 'a', approval: {}, dependsOn: ['c'] },
              { id: 'b', approval: {}, dependsOn: ['a', 'free'] },
              { id: 'c', approval: {}, dependsOn: ['b'] },
              { id: 'self', approval: {}, dependsOn: ['self'] },
            ],
          },
        ],
      });
      expect(problems).toEqual([
        { path: 'phases[0].steps[1].dependsOn', code: 'dependency_cycle', message: 'dependency cycle: a → c → b → a' },
        { path: 'phases[0].steps[4].dependsOn', code: 'dependency_cycle', message: 'dependency cycle: self → self' },
      ]);
    });
  });

  describe('every problem at once', () => {
    it('lists problems from every check in one answer', async () => {
      const problems = await problemsOf(`
name: Bad Name
target: app
owner: me
phases:
  - name: expand
    steps:
      - id: a
        sql: {up: "SELECT 1", down: "SELECT 1"}
        dependsOn: [z]
      - id: a
        schema:
          operations:
            - alter_column: {table: t, column: c, typo: 1}
rollback: {window: 3 days}
`);
      expect(pathsAndCodes(problems)).toEqual([
        ['name', 'invalid_value'],
        ['owner', 'unknown_field'],
        ['phases[0].steps[0].dependsOn[0]', 'unknown_dependency'],
        ['phases[0].steps[1].id', 'duplicate_step_id'],
        ['phases[0].steps[1].schema.operations[0].alter_column.typo', 'unknown_field'],
        ['rollback.window', 'invalid_value'],
      ]);
    });

    it('reports a root that is not a mapping', async () => {
      expect(pathsAndCodes(await problemsOf('- just\n- a list\n'))).toEqual([['', 'invalid_document']]);
      expect(pathsAndCodes(await problemsOf(''))).toEqual([['', 'invalid_document']]);
    });

    it('reports a YAML syntax error with its line and column, and nothing else', async () => {
      const problems = await problemsOf('name: m\ntarget: app\nphases:\n  - name: p\n    steps: [{id: a, approval: {}}\n');
      expect(problems).toEqual([expect.objectContaining({ path: '', code: 'invalid_yaml', line: 6, column: 1 })]);
    });

    it('treats __proto__ keys as unknown fields, without touching prototypes', async () => {
      const problems = await problemsOf('name: m\ntarget: app\n__proto__: {polluted: 1}\nphases:\n  - name: p\n    steps:\n      - {id: a, approval: {}, __proto__: {x: 1}}\n');
      expect(pathsAndCodes(problems)).toEqual([
        ['__proto__', 'unknown_field'],
        ['phases[0].steps[0].__proto__', 'unknown_step_kind'],
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('requires name, target and phases', async () => {
      expect(pathsAndCodes(await problemsOf({}))).toEqual([
        ['name', 'field_required'],
        ['target', 'field_required'],
        ['phases', 'field_required'],
      ]);
    });
  });
});
