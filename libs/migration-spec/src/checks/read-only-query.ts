import { parseSync } from 'libpg-query';

type ParseTree = { stmts?: Array<{ stmt: Record<string, unknown> }> };

/** Statements that change data; inside a query they can only come from a data-modifying WITH. */
const WRITING_STATEMENTS: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

/**
 * Functions with effects a READ ONLY transaction does not stop: they end other sessions, take
 * locks that outlive the query, change settings or the server, or reach another database. Not
 * every such function (an extension can add more): the agents still run the query READ ONLY.
 */
const SIDE_EFFECT_FUNCTIONS = new Set([
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_notify',
  'set_config',
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_advisory_xact_lock',
  'pg_advisory_xact_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'pg_try_advisory_xact_lock',
  'pg_try_advisory_xact_lock_shared',
  'dblink',
  'dblink_exec',
  'dblink_connect',
  'dblink_connect_u',
]);

function parsed(sql: string): ParseTree | string {
  try {
    return parseSync(sql) as ParseTree;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The first node in `tree` for which `offence` says what is wrong, depth first. */
function firstOffence(tree: unknown, offence: (key: string, value: unknown) => string | null): string | null {
  if (Array.isArray(tree)) {
    for (const item of tree) {
      const found = firstOffence(item, offence);
      if (found) return found;
    }
    return null;
  }
  if (tree === null || typeof tree !== 'object') return null;
  for (const [key, value] of Object.entries(tree)) {
    const found = offence(key, value) ?? firstOffence(value, offence);
    if (found) return found;
  }
  return null;
}

function functionName(call: unknown): string | null {
  const parts = (call as { funcname?: Array<{ String?: { sval?: string } }> }).funcname ?? [];
  return parts.at(-1)?.String?.sval?.toLowerCase() ?? null;
}

function nodeOffence(key: string, value: unknown): string | null {
  if (Object.hasOwn(WRITING_STATEMENTS, key)) return `writes (${WRITING_STATEMENTS[key]} in a WITH clause); it may only read`;
  if (key === 'intoClause') return 'creates a table (SELECT … INTO); it may only read';
  if (key === 'lockingClause') return 'locks rows (FOR UPDATE / FOR SHARE); it may only read';
  if (key === 'FuncCall') {
    const name = functionName(value);
    if (name && SIDE_EFFECT_FUNCTIONS.has(name)) return `calls ${name}, which acts beyond reading; it may only read`;
  }
  return null;
}

/**
 * What is wrong with `sql` as a read-only query, or null: exactly one query (SELECT, VALUES,
 * WITH … SELECT) that writes nothing, creates nothing, locks no row and calls none of the functions
 * above. Verify invariants and monitor probes are both held to it; the agents also run them in a
 * READ ONLY transaction, which stops what a parse tree cannot show (a function that writes).
 * Needs the parser loaded (`loadSqlParser`).
 */
export function readOnlyQueryProblem(sql: string): string | null {
  const tree = parsed(sql);
  if (typeof tree === 'string') return `is not valid SQL: ${tree}`;
  const statements = tree.stmts ?? [];
  if (statements.length !== 1 || !('SelectStmt' in statements[0].stmt)) return 'must be exactly one query (SELECT, VALUES or WITH … SELECT)';
  return firstOffence(statements[0].stmt, nodeOffence);
}
