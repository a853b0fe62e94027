import { parseStatements } from './sql-parser';

/** One statement of a user's SQL script, with what the executor must know about it. */
export interface ScriptStatement {
  sql: string;
  /** Postgres node type, e.g. `CreateStmt`, `IndexStmt`. */
  kind: string;
  /** Cannot run inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …). */
  outsideTransaction: boolean;
}

function isOutsideTransaction(kind: string, node: Record<string, unknown>): boolean {
  switch (kind) {
    case 'IndexStmt':
    case 'DropStmt':
      return node['concurrent'] === true;
    case 'ReindexStmt':
      return JSON.stringify(node['params'] ?? []).includes('"concurrently"');
    case 'VacuumStmt':
      return node['is_vacuumcmd'] === true;
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterSystemStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'CreateSubscriptionStmt':
    case 'DropSubscriptionStmt':
      return true;
    default:
      return false;
  }
}

/**
 * Splits a script into its statements with the Postgres parser (so `;` inside strings, dollar
 * quotes and function bodies is handled exactly as the server would). Returns the parser's
 * message when the script is not valid SQL. Statement offsets from libpg_query are UTF-8 byte
 * offsets, hence the Buffer slicing.
 */
export function splitSqlScript(script: string): ScriptStatement[] | string {
  const parsed = parseStatements(script);
  if (typeof parsed === 'string') return parsed;
  const bytes = Buffer.from(script, 'utf8');
  return parsed.map((statement) => {
    const start = statement.stmt_location ?? 0;
    const end = statement.stmt_len ? start + statement.stmt_len : bytes.length;
    const [kind] = Object.keys(statement.stmt);
    return {
      sql: bytes.subarray(start, end).toString('utf8').trim(),
      kind,
      outsideTransaction: isOutsideTransaction(kind, statement.stmt[kind]),
    };
  });
}
