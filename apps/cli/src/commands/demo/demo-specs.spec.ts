import { join } from 'node:path';
import { parseMigrationSpec } from '@bascule/migration-spec';
import { parse } from 'yaml';
import { withAddresses } from './api-canary-rollback';
import { API_SPEC, FORWARD_SPEC, readDemoSpec, ROLLBACK_SPEC } from './demo-specs';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

describe('the demo specs', () => {
  it.each([FORWARD_SPEC, ROLLBACK_SPEC])('%s is a valid migration spec for target app', async (file) => {
    const result = await parseMigrationSpec(readDemoSpec(ROOT, file).text, { contentType: 'application/yaml' });
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(result.ok && result.spec.target).toBe('app');
  });

  it('migration 1 has an expand, a sql and a verify phase; migration 2 a slow backfill', async () => {
    const forward = await parseMigrationSpec(readDemoSpec(ROOT, FORWARD_SPEC).text);
    const back = await parseMigrationSpec(readDemoSpec(ROOT, ROLLBACK_SPEC).text);
    if (!forward.ok || !back.ok) throw new Error('invalid demo spec');
    const kinds = forward.spec.phases.map((phase) => phase.steps.map((step) => Object.keys(step).find((key) => ['schema', 'sql', 'verify'].includes(key))));
    expect(kinds).toEqual([['schema'], ['sql'], ['verify']]);
    expect(forward.spec.phases[2].steps[0].verify?.invariants?.length).toBeGreaterThan(0);
    expect(back.spec.phases[0].steps[0].schema?.backfill).toEqual({ batchSize: 500, delayMs: 100 });
  });
});

describe('the demo API migration (act 7)', () => {
  it('is valid as posted: addresses filled in, both OpenAPI documents inlined', async () => {
    const posted = withAddresses(parse(readDemoSpec(ROOT, API_SPEC).text), { router: 18080, v1: 18081, v2: 18082 }, join(ROOT, 'examples', 'shop-api', 'openapi'));
    const result = await parseMigrationSpec(JSON.stringify(posted), { contentType: 'application/json' });
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    const api = result.spec.phases[1].steps[0].api;
    expect(api).toMatchObject({ service: 'shop', router: { kind: 'embedded', listen: '127.0.0.1:18080' }, from: { upstream: 'http://127.0.0.1:18081' }, to: { upstream: 'http://127.0.0.1:18082' } });
    expect(api?.to.openapi).toMatchObject({ openapi: '3.0.3', info: { version: '2' } });
    // The example app reads the new column through the version schema the schema step creates.
    expect(result.spec.phases[0].steps[0].id).toBe('orders-channel');
  });
});
