/** The counters of one server from `show stat` (cumulative since the HAProxy process started). */
export interface ServerCounters {
  server: string;
  /** stot − wretr: streams given to the server, minus the connection retries HAProxy counts as extra ones. */
  requests: number;
  /**
   * hrsp_5xx + econ + eresp: 5xx the server sent, plus the 503 HAProxy sends when it cannot connect
   * (econ) and the 502/504 for a broken or late response (eresp). HAProxy counts none of its own
   * error answers in the server's hrsp_5xx, so the three do not overlap.
   */
  serverErrors: number;
  /** rtime / ttime: average response and total times over the last 1024 requests, ms. */
  averageResponseMs: number;
  averageTotalMs: number;
}

/** Parses the CSV of `show stat <backend> 4 -1` (servers only) into counters per server name. */
export function parseServerStats(csv: string, backend: string): Map<string, ServerCounters> {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  const header = lines.find((line) => line.startsWith('# '));
  const counters = new Map<string, ServerCounters>();
  if (!header) return counters;
  const columns = header.slice(2).split(',');
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    const fields = line.split(',');
    const field = (name: string) => fields[columns.indexOf(name)] ?? '';
    const count = (name: string) => Number(field(name)) || 0;
    if (field('pxname') !== backend || field('svname') === 'BACKEND' || field('svname') === 'FRONTEND') continue;
    counters.set(field('svname'), {
      server: field('svname'),
      requests: Math.max(0, count('stot') - count('wretr')),
      serverErrors: count('hrsp_5xx') + count('econ') + count('eresp'),
      averageResponseMs: count('rtime'),
      averageTotalMs: count('ttime'),
    });
  }
  return counters;
}
