import { SchemaUsageError } from './schema-exit';

/** `--database-url`, else `DATABASE_URL` (ARCHITECTURE: the env stands in for the flag). */
export function databaseUrlFrom(option: string | undefined): string {
  const url = option ?? process.env.DATABASE_URL;
  if (!url) throw new SchemaUsageError('missing --database-url (or the DATABASE_URL environment variable)');
  return url;
}

/** A positive integer flag value, or a usage error naming the flag. */
export function positiveInteger(flag: string, min = 1) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new SchemaUsageError(`${flag} must be an integer ≥ ${min}, got "${value}"`);
    return parsed;
  };
}
