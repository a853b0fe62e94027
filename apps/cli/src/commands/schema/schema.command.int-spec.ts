import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

/** `bascule` with only the schema commands, in a real process, from the TypeScript sources. */
const MAIN = `
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const root = process.env.BASCULE_ROOT;
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
require.extensions['.ts'] = (module, filename) => {
  const output = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  module._compile(output, filename);
};
const { Command } = require('commander');
const { registerSchemaCommands } = require(path.join(root, 'apps/cli/src/commands/schema.command.ts'));
const program = new Command('bascule');
registerSchemaCommands(program);
program.parseAsync(process.argv).catch((error) => { process.stderr.write('bascule: ' + error.message + '\\n'); process.exitCode = 1; });
`;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, ['-e', MAIN, 'bascule', ...args], {
      env: { ...inherited, BASCULE_ROOT: ROOT, ...env },
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bascule schema (real process, real Postgres)', () => {
  let db: TestDatabase;
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    db = await createTestDatabase('cli_schema');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE reviews (id integer PRIMARY KEY, rating text); INSERT INTO reviews SELECT g, (g % 5)::text FROM generate_series(1, 300) g`);
    await client.end();
    dir = await mkdtemp(join(tmpdir(), 'bascule-cli-'));
    await writeFile(
      file('01_rating_int.yaml'),
      'operations:\n  - alter_column:\n      table: reviews\n      column: rating\n      type: integer\n      up: CAST(rating AS integer)\n      down: CAST(rating AS text)\n',
    );
    await writeFile(file('bad.json'), JSON.stringify({ operations: [{ create_table: { name: 't', columns: [{ name: 'id', type: 'integer' }], colour: 'red' } }] }));
    await writeFile(file('missing_table.yaml'), 'operations:\n  - drop_table:\n      name: nope\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('exits 2 on an invalid file, naming the operation index and field, and on bad flags', async () => {
    const invalid = await cli(['schema', 'validate', file('bad.json')]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('operations[0].create_table.colour');
    expect(invalid.stderr.trim().split('\n')).toHaveLength(1);

    expect((await cli(['schema', 'start', file('01_rating_int.yaml')])).code).toBe(2); // no database url
    expect((await cli(['schema', 'status', '--bogus'])).code).toBe(2);
    expect((await cli(['schema', 'start', file('nothing.yaml'), '--database-url', db.url])).code).toBe(2);
  });

  it('validates against the live schema (exit 2) and plans without changing anything', async () => {
    const missing = await cli(['schema', 'validate', file('missing_table.yaml'), '--database-url', db.url]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('operations[0].drop_table');
    const plan = await cli(['schema', 'plan', file('01_rating_int.yaml'), '--database-url', db.url]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('-- start');
    expect(plan.stdout).toContain('CREATE VIEW "public_01_rating_int"."reviews"');
    expect(plan.stdout).toContain('-- rollback');
  });

  it('starts (DATABASE_URL from env), refuses a second start with 3, reports status as JSON, completes', async () => {
    const env = { DATABASE_URL: db.url };
    const started = await cli(['schema', 'start', file('01_rating_int.yaml'), '--json', '--batch-size', '100'], env);
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ ok: true, migration: '01_rating_int', versionSchema: 'public_01_rating_int' });
    const ticks = started.stderr.trim().split('\n').map((text) => JSON.parse(text));
    expect(ticks.at(-1)).toMatchObject({ event: 'backfill_progress', table: 'reviews', rowsDone: 300, done: true });

    await writeFile(file('02_other.yaml'), 'operations:\n  - create_table:\n      name: other\n      columns:\n        - {name: id, type: integer, pk: true}\n');
    const refused = await cli(['schema', 'start', file('02_other.yaml')], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^bascule: migration "01_rating_int" is already active/);
    expect(refused.stderr).not.toContain(db.url);

    const status = await cli(['schema', 'status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ schema: 'public', active: { name: '01_rating_int', status: 'active' } });

    expect((await cli(['schema', 'complete'], env)).code).toBe(0);
    expect((await cli(['schema', 'rollback'], env)).code).toBe(3); // nothing active
    const migrated = await cli(['schema', 'migrate', dir, '--complete'], env);
    // bad.json in the directory is invalid input: nothing is applied.
    expect(migrated.code).toBe(2);
  });

  it('a connection failure is one line without the connection string', async () => {
    const url = 'postgres://someone:secret@127.0.0.1:1/nowhere';
    const failed = await cli(['schema', 'status', '--database-url', url]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('bascule: cannot connect to the database (connection refused)\n');
  });
});
