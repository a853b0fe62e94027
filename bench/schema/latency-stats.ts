/** Latencies in µs from pgbench `-l` log lines: client_id transaction_no time_us script_no epoch epoch_us. */
export function latenciesFromLog(text: string): number[] {
  const latencies: number[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3) continue;
    const us = Number(fields[2]);
    if (Number.isFinite(us)) latencies.push(us);
  }
  return latencies;
}

/** The slowest transaction of pgbench `-l` log text: its latency (µs) and when it began (epoch ms). */
export function slowestFromLog(text: string): { us: number; startedAtMs: number } | null {
  let slowest: { us: number; startedAtMs: number } | null = null;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) continue;
    const us = Number(fields[2]);
    // Fields 5 and 6 are when the transaction ended (seconds, microseconds).
    const endedAtMs = Number(fields[4]) * 1000 + Number(fields[5]) / 1000;
    if (Number.isFinite(us) && Number.isFinite(endedAtMs) && (!slowest || us > slowest.us)) slowest = { us, startedAtMs: endedAtMs - us / 1000 };
  }
  return slowest;
}

/** Nearest-rank percentile (p in 0..100) of an unsorted list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function maximum(values: readonly number[]): number {
  return values.reduce((max, v) => (v > max ? v : max), values.length ? values[0] : NaN);
}

/** One pgbench transaction: when it began (epoch ms) and its latency (µs). */
export interface Transaction {
  startedAtMs: number;
  us: number;
}

/** Every transaction of pgbench `-l` log text (fields 5 and 6 are when it ended). */
export function transactionsFromLog(text: string): Transaction[] {
  const transactions: Transaction[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) continue;
    const us = Number(fields[2]);
    const endedAtMs = Number(fields[4]) * 1000 + Number(fields[5]) / 1000;
    if (Number.isFinite(us) && Number.isFinite(endedAtMs)) transactions.push({ startedAtMs: endedAtMs - us / 1000, us });
  }
  return transactions;
}
