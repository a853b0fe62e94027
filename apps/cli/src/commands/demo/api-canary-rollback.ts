import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { seconds, type DemoContext } from './demo-context';
import { API_SPEC, readDemoSpec } from './demo-specs';
import { watchMigration } from '../migrations/migration-watch';
import { ReadLoad, type ReadLoadResult } from './read-load';
import { ShopApiProcesses } from './shop-api-processes';

/** Where the example application's two OpenAPI documents are. */
const OPENAPI_DIR = join('examples', 'shop-api', 'openapi');

export interface ApiCanaryOutcome {
  migrationId: string;
  status: string;
  /** The canary's failed verdict, one sentence per rule, or null when it did not fail. */
  verdict: string | null;
  /** From the failed canary step to all traffic back on v1 (ApiStepRolledBack). */
  failedToV1Ms: number | null;
  reads: ReadLoadResult;
}

export interface ApiPorts {
  router: number;
  v1: number;
  v2: number;
}

/**
 * Act 7: the schema and the API moved together. The shop-api's v1 and v2 run as processes (v2
 * reading through its version schema, with an N+1 item loader slipped in); the migration adds the
 * column v2 reads, then canaries v2 through the embedded router under live reads. The canary judges
 * v2 against v1 in the same windows, fails, and the rollback puts every request back on v1 before
 * it drops the column; the readers see no failed request.
 */
export async function runApiCanaryRollback(ctx: DemoContext, appUrl: string, ports: ApiPorts, orders: number): Promise<ApiCanaryOutcome> {
  const { planner, say } = ctx;
  const demoSpec = readDemoSpec(ctx.root, API_SPEC);
  const spec = withAddresses(parse(demoSpec.text) as DemoSpecShape, ports, join(ctx.root, OPENAPI_DIR));
  const apps = await ShopApiProcesses.start(ctx.root, appUrl, [
    { version: 'v1', port: ports.v1 },
    { version: 'v2', port: ports.v2, env: { SHOP_API_ITEM_LOADING: 'per-item', SHOP_API_SEARCH_PATH: 'public_orders-channel,public' } },
  ]);
  let reads: ReadLoad | undefined;
  try {
    say(`  shop-api v1 on :${ports.v1}, v2 on :${ports.v2} (v2 loads an order's items one query each: its regression)`);
    say(`  POST /migrations  (${demoSpec.relativePath}: add orders.channel, then canary v2 10 → 50 → 100 % through the router on :${ports.router}, 5 s a step)`);
    const posted = await planner.plan(spec);
    const began = Date.now();
    await planner.send(posted.id, 'start');
    reads = new ReadLoad(new URL(`http://127.0.0.1:${ports.router}`), orders);
    say(`  migration ${posted.id} started; 4 customers read their orders through the router once it listens`);
    const final = await watchMigration(planner, posted.id, {
      until: (state) => state.status === 'rolled_back' || state.status === 'rollback_failed' || state.status === 'completed' || state.status === 'expanded',
      wanted: 'the migration rolled back by its canary',
      givesUpOn: [],
      timeoutMs: 240_000,
      onLine: ctx.progress(began),
      signal: ctx.signal,
    });
    reads.mark();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const events = await planner.events(posted.id);
    const failed = events.find((event) => event.type === 'ApiStepFailed');
    const back = events.find((event) => event.type === 'ApiStepRolledBack');
    const judged = events.filter((event) => event.type === 'ApiCanaryJudged').map((event) => event.data as { verdict: string; shares: Record<string, number>; reasons: string[] });
    for (const judgement of judged) say(`  canary at v2 ${judgement.shares['v2']} %: ${judgement.verdict} — ${judgement.reasons.join('; ')}`);
    const failedToV1Ms = failed && back ? back.recordedAt.getTime() - failed.recordedAt.getTime() : null;
    if (final.rollback) say(`  automatic rollback: ${final.rollback.reason}`);
    const result = await reads.stop();
    reads = undefined;
    say(
      `  ${final.status}${failedToV1Ms === null ? '' : `; all traffic on v1 ${failedToV1Ms} ms after the canary failed`}; reads through the router: ${result.ok} ok, ${result.failed} failed` +
        ` (v1 ${result.byVersion['v1'] ?? 0}, v2 ${result.byVersion['v2'] ?? 0}; after the rollback: v2 ${result.byVersionSinceMark['v2'] ?? 0}); fourth migration: ${seconds(Date.now() - began)} in all`,
    );
    const verdict = judged.find((judgement) => judgement.verdict === 'fail')?.reasons.join('; ') ?? null;
    return { migrationId: posted.id, status: final.status, verdict, failedToV1Ms, reads: result };
  } finally {
    await reads?.stop();
    await apps.stop();
  }
}

/** The spec with the demo's ports and both OpenAPI documents inlined (a REST body names no files). */
interface DemoSpecShape {
  phases: Array<{ steps: Array<{ api?: { router: { listen: string }; from: DemoVersion; to: DemoVersion } }> }>;
}
type DemoVersion = { upstream: string; openapi: unknown };

export function withAddresses(spec: DemoSpecShape, ports: ApiPorts, openapiDir: string): DemoSpecShape {
  const document = (source: unknown) => parse(readFileSync(join(openapiDir, String(source).replace(/^file:/, '')), 'utf8')) as unknown;
  for (const phase of spec.phases) {
    for (const step of phase.steps) {
      if (!step.api) continue;
      step.api.router.listen = `127.0.0.1:${ports.router}`;
      step.api.from = { ...step.api.from, upstream: `http://127.0.0.1:${ports.v1}`, openapi: document(step.api.from.openapi) };
      step.api.to = { ...step.api.to, upstream: `http://127.0.0.1:${ports.v2}`, openapi: document(step.api.to.openapi) };
    }
  }
  return spec;
}
