/** One server line of `show servers state` (format version 1, HAProxy 1.6–3.x). */
export interface ServerState {
  backend: string;
  server: string;
  address: string;
  port: number;
  /** srv_uweight: the weight the runtime API set (what routing uses, before health adjustments). */
  weight: number;
  /** srv_iweight: the weight in the configuration file. */
  configuredWeight: number;
}

/**
 * Parses `show servers state [<backend>]`. Columns are found by the names of the `#` header line,
 * not by position, because versions append columns at the end.
 */
export function parseServersState(reply: string): ServerState[] {
  const lines = reply.split('\n').map((line) => line.trim());
  const header = lines.find((line) => line.startsWith('#'));
  if (!header) return [];
  const columns = header.slice(1).trim().split(/\s+/);
  const at = (fields: string[], name: string) => fields[columns.indexOf(name)] ?? '';
  return lines
    .filter((line) => line !== '' && !line.startsWith('#') && line.includes(' '))
    .map((line) => line.split(/\s+/))
    .map((fields) => ({
      backend: at(fields, 'be_name'),
      server: at(fields, 'srv_name'),
      address: at(fields, 'srv_addr'),
      port: Number(at(fields, 'srv_port')),
      weight: Number(at(fields, 'srv_uweight')),
      configuredWeight: Number(at(fields, 'srv_iweight')),
    }));
}
