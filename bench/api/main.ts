import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createRouterAdapter, type RouterAdapter, type VersionUpstream } from '@bascule/api-router';
import { HaproxyInstance, VersionUpstreamServer } from '@bascule/api-router/testing';
import { freePorts } from '@bascule/testing';
import { median } from 'simple-statistics';
import { upsertSection } from '../support/benchmarks-doc';
import { renderSection, SECTION_HEADING, type RouterReport } from './render-section';
import { abortRun, loadFor, weightWalk } from './router-runs';

const ABORTS = Number(process.env.BENCH_ABORTS ?? 20);
const OVERHEAD_MS = Number(process.env.BENCH_OVERHEAD_MS ?? 4_000);
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 1_000);
/** v2's share, up the canary and back down as a rollback in steps would. */
export const WALK = [0, 5, 25, 50, 100, 50, 25, 5, 0];

const log = (line: string) => process.stdout.write(`${line}\n`);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

async function measure(kind: 'embedded' | 'haproxy', upstreams: VersionUpstreamServer[]): Promise<RouterReport> {
  const versions: VersionUpstream[] = upstreams.map((upstream) => ({ version: upstream.version, upstream: upstream.url }));
  let haproxy: HaproxyInstance | null = null;
  let router: RouterAdapter;
  let url: string;
  if (kind === 'embedded') {
    const [port] = await freePorts(1);
    router = await createRouterAdapter({ kind, listen: `127.0.0.1:${port}` }, versions);
    url = `http://127.0.0.1:${port}`;
  } else {
    haproxy = await HaproxyInstance.start({ servers: versions, weights: { v1: 100, v2: 0 } });
    router = await createRouterAdapter({ kind, socket: haproxy.adminSocket, backend: haproxy.backend }, versions, { haproxy: { serverStateFile: haproxy.serverStateFile } });
    url = haproxy.url;
  }
  try {
    await router.setWeights({ v1: 100, v2: 0 });
    // Direct and routed alternate, twice, so a change in the machine's load falls on both.
    const overhead = [];
    for (let round = 0; round < 2; round++) {
      const direct = await loadFor(upstreams[0].url, OVERHEAD_MS);
      const routed = await loadFor(url, OVERHEAD_MS);
      overhead.push({ direct: direct.latency, routed: routed.latency, failed: direct.failed + routed.failed });
      log(`${kind} overhead round ${round + 1}: direct p50 ${direct.latency.p50Ms.toFixed(3)} ms, routed p50 ${routed.latency.p50Ms.toFixed(3)} ms`);
    }
    const walk = await weightWalk(url, router, WALK, HOLD_MS);
    log(`${kind} weight walk: ${walk.map((step) => `${step.share}%→${step.observed.toFixed(1)}% (${step.failed} failed)`).join(', ')}`);
    const aborts = [];
    for (let run = 0; run < ABORTS; run++) aborts.push(await abortRun(url, router, 300));
    log(`${kind} aborts: last new-version response median ${median(aborts.map((a) => a.lastNewMs)).toFixed(1)} ms, max ${Math.max(...aborts.map((a) => a.lastNewMs)).toFixed(1)} ms`);
    return { kind, overhead, walk, aborts };
  } finally {
    await router.close();
    await haproxy?.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const before = uptime();
  const upstreams = [await VersionUpstreamServer.start('v1'), await VersionUpstreamServer.start('v2')];
  const reports: RouterReport[] = [];
  const loads: number[] = [];
  try {
    for (const kind of ['embedded', 'haproxy'] as const) {
      loads.push(loadavg()[0]);
      reports.push(await measure(kind, upstreams));
    }
  } finally {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  }
  const haproxyVersion = execFileSync('/usr/sbin/haproxy', ['-v'], { encoding: 'utf8' }).split('\n')[0];
  const section = renderSection({
    reports,
    machine: { cpus: cpus().length, before, after: uptime(), loads, minutes: (Date.now() - started) / 60_000, haproxyVersion, at: new Date().toISOString() },
    settings: { aborts: ABORTS, overheadMs: OVERHEAD_MS, holdMs: HOLD_MS },
  });
  upsertSection(join(process.cwd(), 'docs', 'benchmarks.md'), SECTION_HEADING, section);
  log(section);
  log('docs/benchmarks.md: API router section written');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
