import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMigrationSpec } from '../parse-migration-spec';
import type { SpecProblem } from '../problems/spec-problem';

const specWithFiles = (...files: string[]) => ({
  name: 'm',
  target: 'app',
  phases: [{ name: 'expand', steps: files.map((file, index) => ({ id: `s${index}`, schema: { file } })) }],
});

async function problemsOf(spec: unknown, baseDir?: string): Promise<SpecProblem[]> {
  const result = await parseMigrationSpec(spec, { baseDir });
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('schema.file references', () => {
  let root: string;
  let baseDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bascule-spec-files-'));
    baseDir = join(root, 'spec');
    await mkdir(join(baseDir, 'migrations'), { recursive: true });
    await writeFile(
      join(baseDir, 'migrations', '01_items.yaml'),
      'version_schema: items_v1\noperations:\n  - create_table:\n      name: items\n      columns:\n        - {name: id, type: integer, pk: true}\n',
    );
    await writeFile(join(baseDir, 'migrations', '02_index.json'), JSON.stringify({ operations: [{ create_index: { table: 'items', name: 'items_id', columns: [{ column: 'id' }] } }] }));
    await writeFile(join(baseDir, 'broken.yaml'), 'operations:\n  - create_table: {name: items, colour: red}\n');
    await writeFile(join(baseDir, 'bad.yaml'), 'operations:\n  - create_table: {name: items\n');
    await writeFile(join(baseDir, 'notes.txt'), 'operations: []\n');
    await writeFile(join(root, 'secret.yaml'), 'operations:\n  - drop_table: {name: accounts}\n');
    await symlink(join(root, 'secret.yaml'), join(baseDir, 'link.yaml'));
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('loads YAML and JSON files relative to baseDir and inlines them into the parsed spec', async () => {
    const result = await parseMigrationSpec(specWithFiles('migrations/01_items.yaml', './migrations/02_index.json'), { baseDir });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [first, second] = result.spec.phases[0].steps;
    expect(first.schema).toEqual({
      schema: 'public',
      version_schema: 'items_v1',
      operations: [{ create_table: { name: 'items', columns: [{ name: 'id', type: 'integer', pk: true }] } }],
    });
    expect(second.schema).toEqual({ schema: 'public', operations: [{ create_index: { table: 'items', name: 'items_id', columns: [{ column: 'id' }] } }] });
  });

  it('reports problems inside a file at the step path, naming the file', async () => {
    expect(await problemsOf(specWithFiles('broken.yaml'), baseDir)).toEqual([
      expect.objectContaining({ path: 'phases[0].steps[0].schema.operations[0].create_table.columns', code: 'field_required', file: 'broken.yaml' }),
      expect.objectContaining({ path: 'phases[0].steps[0].schema.operations[0].create_table.colour', code: 'unknown_field', file: 'broken.yaml' }),
    ]);
  });

  it('reports a YAML syntax error in a file with its line and column', async () => {
    const [problem] = await problemsOf(specWithFiles('bad.yaml'), baseDir);
    expect(problem).toMatchObject({ path: 'phases[0].steps[0].schema.file', code: 'invalid_yaml', file: 'bad.yaml', line: 3, column: 1 });
  });

  it('refuses escapes from baseDir by "..", by an absolute path and by a symlink, and a missing file', async () => {
    const problems = await problemsOf(specWithFiles('../secret.yaml', 'migrations/../../secret.yaml', join(root, 'secret.yaml'), 'link.yaml', 'missing.yaml', 'notes.txt'), baseDir);
    expect(problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['phases[0].steps[0].schema.file', 'file_outside_base_dir'],
      ['phases[0].steps[1].schema.file', 'file_outside_base_dir'],
      ['phases[0].steps[2].schema.file', 'file_outside_base_dir'],
      ['phases[0].steps[3].schema.file', 'file_outside_base_dir'],
      ['phases[0].steps[4].schema.file', 'file_not_found'],
      ['phases[0].steps[5].schema.file', 'invalid_file_type'],
    ]);
  });

  it('refuses file references when no baseDir is given (a REST body)', async () => {
    const problems = await problemsOf(specWithFiles('migrations/01_items.yaml'));
    expect(problems).toEqual([expect.objectContaining({ path: 'phases[0].steps[0].schema.file', code: 'file_refs_unavailable' })]);
  });

  it('uses the file\'s version_schema for the version schema name check', async () => {
    const spec = {
      name: 'm',
      target: 'app',
      phases: [
        {
          name: 'expand',
          steps: [
            { id: 'a', schema: { file: 'migrations/01_items.yaml' } },
            { id: 'b', schema: { version_schema: 'items_v1', operations: [{ drop_table: { name: 'x' } }] } },
          ],
        },
      ],
    };
    expect(await problemsOf(spec, baseDir)).toEqual([
      expect.objectContaining({ path: 'phases[0].steps[1].schema.version_schema', code: 'duplicate_version_schema' }),
    ]);
  });
});
