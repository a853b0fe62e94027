import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Lines of a dump that change between runs or carry no shape: comments, session settings. */
function isNoise(line: string): boolean {
  return (
    line.startsWith('--') ||
    line.startsWith('SET ') ||
    line.startsWith('SELECT pg_catalog.set_config') ||
    line.startsWith('\\restrict') ||
    line.startsWith('\\unrestrict') ||
    line.trim() === ''
  );
}

/**
 * `pg_dump --schema-only` of one schema, normalised (comments, SET lines and blank lines
 * removed): two dumps are equal exactly when the schema's shape is.
 */
export async function schemaDump(url: string, schema: string): Promise<string> {
  // pg_dump reads --schema as a pattern; double quotes make it an exact name.
  const pattern = `"${schema.replace(/"/g, '""')}"`;
  const { stdout } = await run('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', `--schema=${pattern}`, `--dbname=${url}`], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => !isNoise(line))
    .join('\n');
}
