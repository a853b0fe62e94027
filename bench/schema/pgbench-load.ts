import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latenciesFromLog, maximum, percentile, slowestFromLog, transactionsFromLog, type Transaction } from './latency-stats';

export interface LoadFigures {
  transactions: number;
  maxMs: number;
  p99Ms: number;
  /** Failed transactions from pgbench's summary. */
  failed: number;
  /** Clients pgbench aborted (an error it does not retry): they stop sending load for the rest of the window. */
  abortedClients: number;
  /** pgbench's error lines for those aborts. */
  errors: string[];
  /** When the slowest transaction began (epoch ms), to tell which migration phase it fell in. */
  slowestStartedAtMs: number | null;
  /** Every transaction, for figures per migration phase. */
  log: Transaction[];
  /** When pgbench's window began and ended (epoch ms, as this process saw it). */
  startedAtMs: number;
  endedAtMs: number;
}

export interface RunningLoad {
  /** Waits for pgbench's fixed -T window to end and reads its per-transaction logs. */
  finished: Promise<LoadFigures>;
}

/** `pgbench -N -c 4 -j 2 -T seconds -l` against the database: simple-update write load, one log line per transaction. */
export function startWriteLoad(databaseUrl: string, seconds: number): RunningLoad {
  const dir = mkdtempSync(join(tmpdir(), 'bench-schema-'));
  const args = ['-N', '-c', '4', '-j', '2', '-T', String(seconds), '-l', `--log-prefix=${join(dir, 'x')}`, databaseUrl];
  const startedAtMs = Date.now();
  const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const finished = new Promise<LoadFigures>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      try {
        const logs = readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8'));
        const latencies = logs.flatMap(latenciesFromLog);
        const slowest = logs.map(slowestFromLog).reduce((a, b) => (!a || (b && b.us > a.us) ? b : a), null);
        const failedMatch = /number of failed transactions: (\d+)/.exec(output);
        if (!failedMatch) throw new Error(`pgbench printed no summary:\n${output}`);
        const errors = output.split('\n').filter((line) => /client \d+ .*aborted/.test(line));
        resolve({
          transactions: latencies.length,
          maxMs: maximum(latencies) / 1000,
          p99Ms: percentile(latencies, 99) / 1000,
          failed: Number(failedMatch[1]),
          abortedClients: errors.length,
          errors,
          slowestStartedAtMs: slowest?.startedAtMs ?? null,
          log: logs.flatMap(transactionsFromLog),
          startedAtMs,
          endedAtMs: Date.now(),
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
  return { finished };
}
