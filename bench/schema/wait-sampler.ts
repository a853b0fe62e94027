import { Client } from 'pg';

/** One pgbench session seen waiting: when, on what, and (for a lock) who held it. */
export interface WaitSample {
  atMs: number;
  pid: number;
  /** `wait_event_type:wait_event`, e.g. `Lock:transactionid`, `LWLock:WALWrite`, `IO:WALSync`. */
  event: string;
  /** For a lock wait: the blocking session's application_name and the start of its statement. */
  blocker: string | null;
}

export interface RunningSampler {
  stop(): Promise<WaitSample[]>;
}

/** Every this often: often enough to see a 20 ms wait, cheap enough (one catalog view read) not to be the load. */
const SAMPLE_EVERY_MS = 10;

/**
 * What pgbench's sessions are waiting on, sampled from pg_stat_activity. pg_blocking_pids is
 * asked only for lock waits: it takes the lock manager's partition locks, and asked for every
 * session every 10 ms it would itself slow the writers.
 */
const SAMPLE_SQL = `
SELECT a.pid, a.wait_event_type || ':' || a.wait_event AS event,
       CASE WHEN a.wait_event_type = 'Lock' THEN
         (SELECT b.application_name || ': ' || left(regexp_replace(b.query, '\\s+', ' ', 'g'), 48)
            FROM pg_stat_activity b WHERE b.pid = (pg_blocking_pids(a.pid))[1])
       END AS blocker
  FROM pg_stat_activity a
 WHERE a.application_name = 'pgbench' AND a.state = 'active' AND a.wait_event IS NOT NULL AND a.pid <> pg_backend_pid()`;

export async function startWaitSampler(databaseUrl: string): Promise<RunningSampler> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-wait-sampler' });
  await client.connect();
  const samples: WaitSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const atMs = Date.now();
      const result = await client.query<{ pid: number; event: string; blocker: string | null }>(SAMPLE_SQL);
      for (const row of result.rows) samples.push({ atMs, pid: row.pid, event: row.event, blocker: row.blocker });
      const spent = Date.now() - atMs;
      if (spent < SAMPLE_EVERY_MS) await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS - spent));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.finally(() => client.end());
      return samples;
    },
  };
}

/** A run of consecutive samples of one session waiting on one event: a lower bound of that wait. */
export interface WaitRun {
  startMs: number;
  ms: number;
  pid: number;
  event: string;
  blocker: string | null;
}

/** Samples of the same session and event at most two intervals apart are one wait. */
export function waitRuns(samples: readonly WaitSample[]): WaitRun[] {
  const open = new Map<number, WaitRun & { lastMs: number }>();
  const runs: WaitRun[] = [];
  const close = (run: WaitRun & { lastMs: number }) => runs.push({ startMs: run.startMs, ms: run.lastMs - run.startMs + SAMPLE_EVERY_MS, pid: run.pid, event: run.event, blocker: run.blocker });
  for (const sample of [...samples].sort((a, b) => a.atMs - b.atMs)) {
    const current = open.get(sample.pid);
    if (current && current.event === sample.event && sample.atMs - current.lastMs <= 2 * SAMPLE_EVERY_MS + 5) {
      current.lastMs = sample.atMs;
      current.blocker ??= sample.blocker;
      continue;
    }
    if (current) close(current);
    open.set(sample.pid, { startMs: sample.atMs, lastMs: sample.atMs, ms: 0, pid: sample.pid, event: sample.event, blocker: sample.blocker });
  }
  for (const run of open.values()) close(run);
  return runs;
}
