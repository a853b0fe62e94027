import { qualified, quoteLiteral } from '../../sql/identifiers';
import { dollarQuote } from './dollar-quote';

/**
 * `statement` run so that the listed SQLSTATEs only raise a NOTICE. Used where pgroll "tries":
 * a check constraint or default copied onto a column whose type changed may no longer apply
 * (e.g. `length(x) > 3` on an integer: 42883 undefined_function; `'a'` as an integer default:
 * 42804 datatype_mismatch). The statement is passed as a literal to EXECUTE, so no identifier
 * in it can end the DO block's quoting.
 */
export function tolerating(statement: string, sqlstates: string[]): string {
  const conditions = sqlstates.map((state) => `SQLSTATE ${quoteLiteral(state)}`).join(' OR ');
  const body = `\nBEGIN\n  EXECUTE ${quoteLiteral(statement)};\nEXCEPTION WHEN ${conditions} THEN\n  RAISE NOTICE 'bascule: skipped %: %', ${quoteLiteral(statement)}, SQLERRM;\nEND\n`;
  return `DO ${dollarQuote(body)}`;
}

/** `statement` run only when constraint `name` exists on the table (it may have been skipped by `tolerating`). */
export function ifConstraintExists(schema: string, table: string, name: string, statement: string): string {
  const body =
    `\nBEGIN\n  IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = ${quoteLiteral(qualified(schema, table))}::regclass ` +
    `AND conname = ${quoteLiteral(name)}) THEN\n    EXECUTE ${quoteLiteral(statement)};\n  END IF;\nEND\n`;
  return `DO ${dollarQuote(body)}`;
}

/**
 * Hands a serial column's sequence over to the column replacing it: dropping the old column
 * would otherwise drop the sequence the new column's `nextval(...)` default still uses. A no-op
 * once the replacing column is gone (renamed into place by an earlier run).
 */
export function moveOwnedSequence(schema: string, table: string, fromColumn: string, toColumn: string): string {
  const body =
    `\nDECLARE\n  owned text := pg_catalog.pg_get_serial_sequence(${quoteLiteral(qualified(schema, table))}, ${quoteLiteral(fromColumn)});\n` +
    `BEGIN\n  IF owned IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = ${quoteLiteral(qualified(schema, table))}::regclass ` +
    `AND attname = ${quoteLiteral(toColumn)} AND NOT attisdropped) THEN\n` +
    `    EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', owned, ${quoteLiteral(qualified(schema, table))}, ${quoteLiteral(toColumn)});\n` +
    `  END IF;\nEND\n`;
  return `DO ${dollarQuote(body)}`;
}

/**
 * `statement` run only while `column` exists. Complete resumes after a crash by re-running the
 * action that was under way, so a rename that already happened must be a no-op, not an error.
 */
export function ifColumnExists(schema: string, table: string, column: string, statement: string): string {
  const body =
    `\nBEGIN\n  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = ${quoteLiteral(qualified(schema, table))}::regclass ` +
    `AND attname = ${quoteLiteral(column)} AND NOT attisdropped) THEN\n    EXECUTE ${quoteLiteral(statement)};\n  END IF;\nEND\n`;
  return `DO ${dollarQuote(body)}`;
}

/** `statement` (attaching a constraint) run only when constraint `name` is not there yet: safe to re-run. */
export function unlessConstraintExists(schema: string, table: string, name: string, statement: string): string {
  const body =
    `\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = ${quoteLiteral(qualified(schema, table))}::regclass ` +
    `AND conname = ${quoteLiteral(name)}) THEN\n    EXECUTE ${quoteLiteral(statement)};\n  END IF;\nEND\n`;
  return `DO ${dollarQuote(body)}`;
}
