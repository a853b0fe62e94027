import { loadModule, parseSync } from 'libpg-query';
import { sqlFragmentProblem } from './sql-text';

/** Thrown when a parser check runs before `loadSqlParser()` finished. */
export class SqlParserNotLoadedError extends Error {
  readonly code = 'sql_parser_not_loaded';
  constructor() {
    super('the Postgres SQL parser is not loaded: await loadSqlParser() once before validating migrations');
    this.name = 'SqlParserNotLoadedError';
  }
}

let loaded = false;

/**
 * Loads the WASM Postgres parser (libpg-query). Validation is synchronous, so it needs the parser
 * ready beforehand: call this once at startup (the CLI, the schema agent, test `beforeAll`).
 */
export async function loadSqlParser(): Promise<void> {
  await loadModule();
  loaded = true;
}

export function isSqlParserLoaded(): boolean {
  return loaded;
}

export interface ParsedStatement {
  stmt: Record<string, Record<string, unknown>>;
  /** UTF-8 byte offset of the statement (absent for 0). */
  stmt_location?: number;
  /** Length in bytes (absent or 0 for "to the end"). */
  stmt_len?: number;
}

/** Parses `sql` and returns its statements, or the parser's message. */
export function parseStatements(sql: string): ParsedStatement[] | string {
  if (!loaded) throw new SqlParserNotLoadedError();
  try {
    const result = parseSync(sql) as { stmts?: ParsedStatement[] };
    return result.stmts ?? [];
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Why `sql` is not exactly one statement of node type `kind` (e.g. `CreateStmt`, `IndexStmt`), or
 * null. The final guard on every statement an operation builds from user fragments.
 */
export function singleStatementProblem(sql: string, kind: string): string | null {
  const statements = parseStatements(sql);
  if (typeof statements === 'string') return `is not valid SQL: ${statements}`;
  if (statements.length !== 1) return `must build exactly one statement, got ${statements.length}`;
  const node = Object.keys(statements[0].stmt)[0];
  if (node !== kind) return `must build a ${kind}, got ${node}`;
  return null;
}

/** A SELECT whose only content is its target list, each target the fragment we wrapped. */
function plainSelectTargets(sql: string): unknown[] | string {
  const statements = parseStatements(sql);
  if (typeof statements === 'string') return statements;
  if (statements.length !== 1) return `holds ${statements.length} statements`;
  const select = statements[0].stmt['SelectStmt'];
  if (!select) return 'is not a plain expression';
  const extra = Object.keys(select).filter((key) => !['targetList', 'limitOption', 'op'].includes(key));
  if (extra.length > 0) return `is not a plain expression (it adds ${extra.join(', ')})`;
  return select['targetList'] as unknown[];
}

/** Why `type` is not a Postgres type name (e.g. `varchar(20)`, `text[]`), or null. */
export function sqlTypeProblem(type: string): string | null {
  const lexical = sqlFragmentProblem(type);
  if (lexical) return lexical;
  const targets = plainSelectTargets(`SELECT CAST(NULL AS ${type})`);
  if (typeof targets === 'string') return `is not a type name: ${targets}`;
  if (targets.length !== 1) return 'is not a single type name';
  return null;
}

/** Why `expression` is not one SQL value expression (default, check, predicate, up/down), or null. */
export function sqlExpressionProblem(expression: string): string | null {
  const lexical = sqlFragmentProblem(expression);
  if (lexical) return lexical;
  const targets = plainSelectTargets(`SELECT (${expression})`);
  if (typeof targets === 'string') return `is not an SQL expression: ${targets}`;
  if (targets.length !== 1) return 'is not a single SQL expression';
  return null;
}

/**
 * Columns of an EXCLUDE constraint's elements (`room WITH =, lower(x) WITH &&` → `['room', null]`,
 * null for an expression), read with the parser; null when the elements do not parse.
 */
export function excludeElementColumns(elements: string): Array<string | null> | null {
  const statements = parseStatements(`ALTER TABLE probe ADD CONSTRAINT probe EXCLUDE (${elements})`);
  if (typeof statements === 'string' || statements.length !== 1) return null;
  const command = (statements[0].stmt['AlterTableStmt']?.['cmds'] as Array<{ AlterTableCmd?: { def?: { Constraint?: { exclusions?: unknown[] } } } }> | undefined)?.[0];
  const exclusions = command?.AlterTableCmd?.def?.Constraint?.exclusions;
  if (!Array.isArray(exclusions)) return null;
  return exclusions.map((exclusion) => {
    const element = (exclusion as { List?: { items?: Array<{ IndexElem?: { name?: string } }> } }).List?.items?.[0]?.IndexElem;
    return element?.name ?? null;
  });
}
