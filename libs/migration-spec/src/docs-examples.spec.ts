import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { executionOrder } from './order/execution-order';
import { parseMigrationSpec } from './parse-migration-spec';
import { CONTRACT_EXAMPLE } from './test-support/contract-example';

const REFERENCE = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'migration-spec.md'), 'utf8');

/** The files the examples name (`openapi: "file:shop-v1.yaml"`), as if next to the spec file. */
const EXAMPLE_FILES = join(__dirname, 'test-support', 'docs-examples');

/** Every complete spec in the reference: the ```yaml blocks that start with `name:`. */
const examples = [...REFERENCE.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]).filter((block) => block.startsWith('name:'));

describe('docs/migration-spec.md', () => {
  it('shows the ARCHITECTURE.md example verbatim', () => {
    expect(examples[0]).toBe(CONTRACT_EXAMPLE);
  });

  it.each(examples.map((example) => [example.split('\n')[0], example]))('example "%s" validates', async (_name, example) => {
    const result = await parseMigrationSpec(example, { contentType: 'application/yaml', baseDir: EXAMPLE_FILES });
    expect(result).toMatchObject({ ok: true });
  });

  it('inlines the api example\'s documents from the files it names', async () => {
    const example = examples.find((block) => block.startsWith('name: shop-orders-v2'));
    const result = await parseMigrationSpec(example, { contentType: 'application/yaml', baseDir: EXAMPLE_FILES });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const api = result.spec.phases[1]?.steps[0]?.api;
    expect(api).toMatchObject({ breaking: 'approve', from: { openapi: { info: { version: '1.0.0' } } }, to: { openapi: { info: { version: '2.0.0' } } } });
  });

  it('gives the waves the reference describes for the fuller example', async () => {
    const result = await parseMigrationSpec(examples[1]);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(executionOrder(result.spec)).toEqual([
      { phase: 'expand', waves: [['add-names', 'audit-table'], ['seed-audit']] },
      { phase: 'check', waves: [['integrity'], ['dba-sign-off']] },
    ]);
  });
});
