import { isSchemaEngineError } from '@bascule/schema-engine';

/** Exit codes of `bascule schema` (ARCHITECTURE: 0 ok, 2 invalid input, 3 refused, 1 failed). */
export const EXIT = { ok: 0, failed: 1, invalid: 2, refused: 3 } as const;

/** Bad flags or a missing argument: the user must change the command line. */
export class SchemaUsageError extends Error {
  readonly code = 'USAGE';
}

const INVALID_INPUT = new Set(['INVALID_MIGRATION', 'MIGRATION_FILE_UNREADABLE', 'USAGE']);
/** The engine declined to act and changed nothing: retry later or resolve the other migration first. */
const REFUSED = new Set([
  'LOCK_TIMEOUT',
  'MIGRATION_ALREADY_ACTIVE',
  'MIGRATION_ALREADY_APPLIED',
  'NO_ACTIVE_MIGRATION',
  'SCHEMA_BUSY',
  'PHASE_CONFLICT',
  'MIGRATION_INTERRUPTED',
]);

/** Postgres connection failures by SQLSTATE / Node code, phrased without the connection string. */
const CONNECTION_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'cannot connect to the database (connection refused)',
  ENOTFOUND: 'cannot connect to the database (host not found)',
  ETIMEDOUT: 'cannot connect to the database (timed out)',
  '3D000': 'the database does not exist',
  '28P01': 'the database refused the credentials',
  '28000': 'the database refused the connection (authentication)',
};

export function errorCodeOf(error: unknown): string {
  if (isSchemaEngineError(error) || error instanceof SchemaUsageError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'ERROR';
}

export function exitCodeFor(error: unknown): number {
  const code = errorCodeOf(error);
  if (INVALID_INPUT.has(code)) return EXIT.invalid;
  if (REFUSED.has(code)) return EXIT.refused;
  return EXIT.failed;
}

/** One line, no stack, never a connection string (it may carry a password). */
export function oneLineMessage(error: unknown): string {
  const code = errorCodeOf(error);
  const message = CONNECTION_PROBLEMS[code] ?? (error instanceof Error ? error.message : String(error));
  return message.replace(/postgres(ql)?:\/\/\S+/gi, '<database-url>').replace(/\s*\n\s*/g, ' ');
}
