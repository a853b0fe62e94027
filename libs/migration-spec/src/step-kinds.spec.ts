import { parseMigrationSpec } from './parse-migration-spec';
import { createItems, pathsAndCodes, problemsOf, specWith } from './test-support/spec-builders';

describe('parseMigrationSpec: step kinds', () => {
  describe('schema steps', () => {
    it('accept a version_schema, a physical schema and backfill settings', async () => {
      const step = { id: 'a', schema: { version_schema: 'v2', schema: 'billing', operations: [createItems], backfill: { batchSize: 500, delayMs: 10 } } };
      const result = await parseMigrationSpec(specWith([step]));
      expect(result.ok && result.spec.phases[0].steps[0]).toEqual(step);
    });

    it('report the engine\'s problems inside the operations, prefixed with the step path', async () => {
      const problems = await problemsOf({
        name: 'm',
        target: 'app',
        phases: [
          { name: 'one', steps: [{ id: 'ok', schema: { operations: [createItems] } }] },
          {
            name: 'two',
            steps: [
              {
                id: 'bad',
                schema: {
                  operations: [
                    createItems,
                    { create_table: { name: 'b', columns: [{ name: 'id', type: 'integer', primary: true }] } },
                    { alter_column: { table: 'accounts' } },
                    { make_table: {} },
                  ],
                },
              },
            ],
          },
        ],
      });
      expect(pathsAndCodes(problems)).toEqual([
        ['phases[1].steps[0].schema.operations[1].create_table.columns[0].primary', 'unknown_field'],
        ['phases[1].steps[0].schema.operations[2].alter_column.column', 'field_required'],
        ['phases[1].steps[0].schema.operations[3].make_table', 'unknown_operation'],
      ]);
    });

    it('need operations or a file, not both and not neither; version_schema only inline', async () => {
      const problems = await problemsOf(
        specWith([
          { id: 'neither', schema: {} },
          { id: 'both', schema: { file: 'a.yaml', operations: [createItems] } },
          { id: 'file-vs', schema: { file: 'a.yaml', version_schema: 'v' } },
        ]),
        { baseDir: __dirname },
      );
      expect(pathsAndCodes(problems)).toEqual(
        expect.arrayContaining([
          ['phases[0].steps[0].schema', 'invalid_schema_step'],
          ['phases[0].steps[1].schema', 'invalid_schema_step'],
          ['phases[0].steps[2].schema.version_schema', 'invalid_schema_step'],
        ]),
      );
    });

    it('refuse an unknown field, a bad backfill and a hostile physical schema', async () => {
      const problems = await problemsOf(
        specWith([{ id: 'a', schema: { operations: [createItems], colour: 'red', schema: 'public"; DROP SCHEMA x; --', backfill: { batchSize: 0, delayMs: -1 } } }]),
      );
      expect(pathsAndCodes(problems)).toEqual([
        ['phases[0].steps[0].schema.colour', 'unknown_field'],
        ['phases[0].steps[0].schema.schema', 'invalid_value'],
        ['phases[0].steps[0].schema.backfill.batchSize', 'invalid_value'],
        ['phases[0].steps[0].schema.backfill.delayMs', 'invalid_value'],
      ]);
    });

    it('name the version schema after the step id and refuse one too long or shared', async () => {
      const longId = `a${'b'.repeat(60)}`;
      const problems = await problemsOf(
        specWith([
          { id: longId, schema: { operations: [createItems] } },
          { id: 'x', schema: { version_schema: 'shared', operations: [createItems] } },
          { id: 'y', schema: { version_schema: 'shared', operations: [createItems] } },
        ]),
      );
      expect(problems).toEqual([
        expect.objectContaining({ path: 'phases[0].steps[0].id', code: 'version_schema_too_long', message: expect.stringContaining(`"public_${longId}"`) }),
        expect.objectContaining({ path: 'phases[0].steps[2].schema.version_schema', code: 'duplicate_version_schema', message: expect.stringContaining('phases[0].steps[1]') }),
      ]);
    });
  });

  describe('sql steps', () => {
    it('accept up, down and verify', async () => {
      const step = { id: 'a', sql: { up: 'CREATE TABLE t (id int)', down: 'DROP TABLE t', verify: "SELECT 1/count(*) FROM pg_tables WHERE tablename = 't'" } };
      const result = await parseMigrationSpec(specWith([step]));
      expect(result.ok && result.spec.phases[0].steps[0]).toEqual(step);
    });

    it('require down unless the step is declared irreversible, and not both', async () => {
      expect((await parseMigrationSpec(specWith([{ id: 'a', sql: { up: 'SELECT 1', irreversible: true } }]))).ok).toBe(true);
      const problems = await problemsOf(
        specWith([
          { id: 'a', sql: { up: 'SELECT 1' } },
          { id: 'b', sql: { up: 'SELECT 1', irreversible: false } },
          { id: 'c', sql: { up: 'SELECT 1', down: 'SELECT 2', irreversible: true } },
        ]),
      );
      expect(pathsAndCodes(problems)).toEqual([
        ['phases[0].steps[0].sql.down', 'field_required'],
        ['phases[0].steps[1].sql.down', 'field_required'],
        ['phases[0].steps[2].sql.irreversible', 'invalid_value'],
      ]);
    });

    it('report SQL that does not parse, blank SQL and transaction control, each at its field', async () => {
      const problems = await problemsOf(
        specWith([
          { id: 'a', sql: { up: 'CREAT TABLE t (id int)', down: '   ', verify: 'SELECT 1; COMMIT' } },
          { id: 'b', sql: { up: 42, down: 'DROP TABLE t' } },
        ]),
      );
      expect(problems).toEqual([
        expect.objectContaining({ path: 'phases[0].steps[0].sql.up', code: 'invalid_sql', message: expect.stringContaining('syntax error at or near "CREAT"') }),
        expect.objectContaining({ path: 'phases[0].steps[0].sql.down', code: 'invalid_value', message: 'SQL text cannot be empty' }),
        expect.objectContaining({ path: 'phases[0].steps[0].sql.verify', code: 'invalid_sql', message: expect.stringContaining('own transaction') }),
        expect.objectContaining({ path: 'phases[0].steps[1].sql.up', code: 'invalid_value' }),
      ]);
    });
  });

  describe('verify steps', () => {
    it('accept tables, checksums and invariants', async () => {
      const step = {
        id: 'v',
        verify: {
          tables: ['accounts', 'billing.invoices'],
          checksums: false,
          invariants: [
            { name: 'no-negative', sql: 'SELECT count(*) FROM accounts WHERE balance < 0', expect: 0 },
            { name: 'currencies', sql: 'SELECT currency, count(*) AS n FROM accounts GROUP BY 1', expect: [{ currency: 'EUR', n: 2 }] },
          ],
        },
      };
      const result = await parseMigrationSpec(specWith([step]));
      expect(result.ok && result.spec.phases[0].steps[0]).toEqual(step);
    });

    it('need tables or invariants, unique invariant names and one query per invariant', async () => {
      const problems = await problemsOf(
        specWith([
          { id: 'empty', verify: {} },
          {
            id: 'bad',
            verify: {
              tables: ['accounts; DROP TABLE x'],
              invariants: [
                { name: 'n', sql: 'SELECT 1', expect: 1 },
                { name: 'n', sql: 'DELETE FROM accounts', expect: 0 },
                { name: 'm', sql: 'SELECT 1', expect: { a: 1 } },
              ],
            },
          },
        ]),
      );
      expect(pathsAndCodes(problems)).toEqual([
        ['phases[0].steps[0].verify', 'field_required'],
        ['phases[0].steps[1].verify.tables[0]', 'invalid_value'],
        ['phases[0].steps[1].verify.invariants[1].name', 'duplicate_name'],
        ['phases[0].steps[1].verify.invariants[1].sql', 'invalid_sql'],
        ['phases[0].steps[1].verify.invariants[2].expect', 'invalid_value'],
      ]);
    });

    it('reports a duplicate invariant name when the rest of the step is valid', async () => {
      const invariants = [
        { name: 'n', sql: 'SELECT 1', expect: 1 },
        { name: 'n', sql: 'SELECT 2', expect: 2 },
      ];
      expect(pathsAndCodes(await problemsOf(specWith([{ id: 'v', verify: { invariants } }])))).toEqual([
        ['phases[0].steps[0].verify.invariants[1].name', 'duplicate_name'],
      ]);
    });
  });

  describe('approval steps', () => {
    it('accept approvers and a message, or nothing', async () => {
      const result = await parseMigrationSpec(specWith([{ id: 'a', approval: { approvers: ['alice@example.com', 'bob'], message: 'DBA sign-off' } }, { id: 'b', approval: {} }]));
      expect(result.ok).toBe(true);
    });

    it('refuse unknown fields and odd approver names', async () => {
      const problems = await problemsOf(specWith([{ id: 'a', approval: { approvers: ['<script>'], timeout: '1h' } }]));
      expect(pathsAndCodes(problems)).toEqual([
        ['phases[0].steps[0].approval.approvers[0]', 'invalid_value'],
        ['phases[0].steps[0].approval.timeout', 'unknown_field'],
      ]);
    });
  });

  describe('step kinds', () => {
    it('name an unknown kind and its path, once', async () => {
      const problems = await problemsOf(specWith([{ id: 'a', approval: {} }, { id: 'watch', canary: { duration: '10m' } }]));
      expect(problems).toEqual([
        {
          path: 'phases[0].steps[1].canary',
          code: 'unknown_step_kind',
          message: 'unknown step kind "canary"; a step has id, dependsOn and exactly one of: schema, sql, verify, approval, analysis, api, backup',
        },
      ]);
    });

    it('know analysis as a kind (monitor-section.spec.ts checks its body)', async () => {
      const monitor = { metrics: [{ name: 'lookup', probe: { sql: 'SELECT 1' } }] };
      const result = await parseMigrationSpec(specWith([{ id: 'watch', analysis: { duration: '10m' } }], { monitor }));
      expect(result.ok && result.spec.phases[0].steps[0]).toEqual({ id: 'watch', analysis: { duration: '10m' } });
    });

    it('refuse a step without a kind and a step with two, even when a body is also invalid', async () => {
      const problems = await problemsOf(specWith([{ id: 'a' }, { id: 'b', approval: {}, sql: { up: 7 } }]));
      expect(pathsAndCodes(problems)).toEqual([
        ['phases[0].steps[0]', 'missing_step_kind'],
        ['phases[0].steps[1]', 'multiple_step_kinds'],
        ['phases[0].steps[1].sql.up', 'invalid_value'],
        ['phases[0].steps[1].sql.down', 'field_required'],
      ]);
    });
  });
});
