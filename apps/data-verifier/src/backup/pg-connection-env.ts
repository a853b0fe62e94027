/**
 * libpq's environment for a connection URL. pg_dump and pg_restore get the connection this way so
 * the password is never in their argv (visible to every user through ps and /proc/<pid>/cmdline).
 */
export function pgConnectionEnv(url: string, database?: string): Record<string, string> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error(`not a postgres:// URL (${parsed.protocol})`);
  const env: Record<string, string> = {};
  const set = (name: string, value: string | null | undefined) => {
    if (value) env[name] = value;
  };
  // `?host=/run/postgresql` (a socket directory) wins over the authority, as libpq has it.
  set('PGHOST', parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, '$1'));
  set('PGPORT', parsed.searchParams.get('port') ?? parsed.port);
  set('PGUSER', parsed.searchParams.get('user') ?? decodeURIComponent(parsed.username));
  set('PGPASSWORD', parsed.searchParams.get('password') ?? decodeURIComponent(parsed.password));
  set('PGDATABASE', database ?? parsed.searchParams.get('dbname') ?? decodeURIComponent(parsed.pathname.replace(/^\//, '')));
  set('PGSSLMODE', parsed.searchParams.get('sslmode'));
  set('PGSSLROOTCERT', parsed.searchParams.get('sslrootcert'));
  set('PGSSLCERT', parsed.searchParams.get('sslcert'));
  set('PGSSLKEY', parsed.searchParams.get('sslkey'));
  set('PGAPPNAME', 'bascule-data-verifier-backup');
  return env;
}

/** The same URL on another database of the server (the scratch copy). */
export function urlOnDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  parsed.searchParams.delete('dbname');
  return parsed.toString();
}
