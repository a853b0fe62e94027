/** URL query parameters a libpq client takes from the environment instead, by their variable. */
const QUERY_PARAMETERS: Record<string, string> = {
  host: 'PGHOST',
  hostaddr: 'PGHOSTADDR',
  port: 'PGPORT',
  user: 'PGUSER',
  password: 'PGPASSWORD',
  dbname: 'PGDATABASE',
  passfile: 'PGPASSFILE',
  options: 'PGOPTIONS',
  application_name: 'PGAPPNAME',
  sslmode: 'PGSSLMODE',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslrootcert: 'PGSSLROOTCERT',
  sslcrl: 'PGSSLCRL',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
};

/** The URL cannot be handed to a libpq tool as environment; names the part, never echoes the URL. */
export class UnsupportedConnectionUrlError extends Error {
  readonly code = 'UNSUPPORTED_CONNECTION_URL';

  constructor(what: string) {
    super(`the target's connection URL cannot be passed to pg_dump: ${what}`);
    this.name = 'UnsupportedConnectionUrlError';
  }
}

/**
 * A `postgres://` URL as the `PG*` variables libpq reads, so a child process (pg_dump) connects
 * with nothing of it on its command line: arguments are visible to every user of the machine in
 * `ps`, the environment is not.
 */
export function libpqEnvironment(databaseUrl: string): Record<string, string> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new UnsupportedConnectionUrlError('it is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new UnsupportedConnectionUrlError(`scheme ${url.protocol} is not postgres:`);
  const env: Record<string, string> = {};
  const set = (name: string, value: string) => {
    if (value !== '') env[name] = value;
  };
  set('PGHOST', decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1')));
  set('PGPORT', url.port);
  set('PGUSER', decodeURIComponent(url.username));
  set('PGPASSWORD', decodeURIComponent(url.password));
  set('PGDATABASE', decodeURIComponent(url.pathname.replace(/^\//, '')));
  for (const [key, value] of url.searchParams) {
    const name = QUERY_PARAMETERS[key];
    if (!name) throw new UnsupportedConnectionUrlError(`query parameter "${key.slice(0, 40)}" has no libpq environment variable`);
    set(name, value);
  }
  return env;
}
