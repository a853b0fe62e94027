/** What the adapter needs from one HAProxy request log line. */
export interface HttpLogEntry {
  backend: string;
  server: string;
  status: number;
  /** Ta: total active time of the request, from its full headers to the end of the response. */
  totalMs: number;
}

/**
 * The `option httplog` format (HAProxy 1.9–3.x), after any syslog prefix:
 *   client:port [accept date] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes …
 * Ta carries a "+" with `option logasap`. Lines without a server (`<NOSRV>`) are kept so the
 * caller can ignore them by name; anything else (process notices) is not a request line.
 */
const HTTPLOG = /\] \S+ ([^\s/]+)\/(\S+) -?\d+\/-?\d+\/-?\d+\/-?\d+\/\+?(-?\d+) (\d{3}) /;

export function parseHttpLogLine(line: string): HttpLogEntry | null {
  const match = HTTPLOG.exec(line);
  if (!match) return null;
  const totalMs = Number(match[3]);
  if (totalMs < 0) return null;
  return { backend: match[1], server: match[2], totalMs, status: Number(match[4]) };
}
