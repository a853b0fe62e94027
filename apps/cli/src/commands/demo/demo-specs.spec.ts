import { join } from 'node:path';
import { parseMigrationSpec } from '@bascule/migration-spec';
import { FORWARD_SPEC, readDemoSpec, ROLLBACK_SPEC } from './demo-specs';

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
