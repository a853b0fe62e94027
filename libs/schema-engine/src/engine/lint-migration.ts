import type { Migration } from '../format/migration';
import type { LintFinding } from '../lint/lint-finding';
import { lintSql } from '../lint/lint-sql';

export interface MigrationLintFinding extends LintFinding {
  /** Where the linted SQL sits in the file, e.g. `operations[0].sql.up`. */
  path: string;
}

/**
 * squawk findings for the author's own SQL (`sql` operations). The other operations' SQL is the
 * engine's, built the safe way. The executor sets lock_timeout and one transaction per step, so
 * squawk's rules about those are switched off.
 */
export async function lintMigration(migration: Migration, pgVersion?: string): Promise<MigrationLintFinding[]> {
  const findings: MigrationLintFinding[] = [];
  for (const [index, operation] of migration.operations.entries()) {
    if (operation.kind !== 'sql') continue;
    const body = operation.body as { up: string; down?: string };
    for (const field of ['up', 'down'] as const) {
      const script = body[field];
      if (script === undefined) continue;
      const found = await lintSql(script, {
        pgVersion,
        assumeInTransaction: true,
        exclude: ['require-lock-timeout', 'require-statement-timeout', 'prefer-robust-stmts'],
      });
      findings.push(...found.map((finding) => ({ ...finding, path: `operations[${index}].sql.${field}` })));
    }
  }
  return findings;
}
