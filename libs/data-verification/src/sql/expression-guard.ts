import { loadModule, parseSync } from 'libpg-query';
import { InvalidExpressionError } from '../errors/invalid-expression.error';
import { findLexicalOffence } from './lexical-guard';

let parserReady: Promise<void> | undefined;

async function parse(sql: string): Promise<{ stmts?: Array<{ stmt: Record<string, unknown> }> }> {
  parserReady ??= loadModule();
  await parserReady;
  return parseSync(sql);
}

// A bare `SELECT (<expression>)` parses to a SelectStmt with exactly these keys; anything else
// (a FROM, a WHERE, a second target) means the text closed our parenthesis and added a clause.
const BARE_SELECT_KEYS = new Set(['targetList', 'limitOption', 'op']);

/**
 * Accepts `expression` only if it is exactly one SQL value expression, so it can be spliced into
 * `SELECT (<expression>) FROM …` without changing the statement around it. Column references and
 * function calls are allowed (that is what a backfill's `up` is); running it READ ONLY keeps a
 * volatile function from writing.
 */
export async function assertSingleExpression(expression: string, where: string): Promise<void> {
  if (expression.trim().length === 0) throw new InvalidExpressionError(where, 'the expression is empty');
  const offence = findLexicalOffence(expression);
  if (offence) throw new InvalidExpressionError(where, `${offence}; give one SQL expression`);
  const tree = await parseOrThrow(`SELECT (${expression})`, where);
  const statements = tree.stmts ?? [];
  const select = statements.length === 1 ? (statements[0].stmt['SelectStmt'] as Record<string, unknown> | undefined) : undefined;
  const targets = select?.['targetList'] as unknown[] | undefined;
  if (!select || targets?.length !== 1 || Object.keys(select).some((key) => !BARE_SELECT_KEYS.has(key))) {
    throw new InvalidExpressionError(where, 'it is not a single SQL expression (it closes a parenthesis or adds a clause)');
  }
}

/**
 * Accepts `sql` only if it is exactly one query (SELECT, VALUES, WITH … SELECT). The query is still
 * sent with the extended protocol, which refuses a second statement, and run READ ONLY.
 */
export async function assertSingleQuery(sql: string, where: string): Promise<void> {
  if (sql.includes('\0')) throw new InvalidExpressionError(where, 'it contains a NUL byte');
  if (sql.trim().length === 0) throw new InvalidExpressionError(where, 'the query is empty');
  const statements = (await parseOrThrow(sql, where)).stmts ?? [];
  if (statements.length !== 1) {
    throw new InvalidExpressionError(where, `it holds ${statements.length} statements; give exactly one query`);
  }
  if (!('SelectStmt' in statements[0].stmt)) {
    throw new InvalidExpressionError(where, `it is a ${Object.keys(statements[0].stmt)[0]}, not a query; invariants only read`);
  }
}

async function parseOrThrow(sql: string, where: string): Promise<Awaited<ReturnType<typeof parse>>> {
  try {
    return await parse(sql);
  } catch (error) {
    throw new InvalidExpressionError(where, `it does not parse: ${(error as Error).message}`, { cause: error });
  }
}
