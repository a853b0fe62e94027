import { InvalidMigrationError } from '../../../errors';
import { migrationOf, testEngine } from '../../../testing';

/**
 * `[path, code]` of every problem the engine finds in a migration made of `operations`: format
 * problems (thrown by parsing) or problems against the live schema (`engine.validate`). Nothing
 * is changed either way.
 */
export async function migrationIssues(url: string, operations: unknown[]): Promise<Array<[string, string]>> {
  let migration;
  try {
    migration = migrationOf('invalid', operations);
  } catch (error) {
    if (error instanceof InvalidMigrationError) return error.issues.map((issue) => [issue.path, issue.code]);
    throw error;
  }
  const engine = testEngine(url);
  try {
    return (await engine.validate(migration)).map((issue) => [issue.path, issue.code]);
  } finally {
    await engine.close();
  }
}
