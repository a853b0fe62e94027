import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseMigrationSpec } from '../parse-migration-spec';
import { apiStep, shopDocument } from '../test-support/api-step-example';
import { pathsAndCodes, problemsOf, specWith } from '../test-support/spec-builders';

const sqlStep = { id: 'seed', sql: { up: 'SELECT 1', down: 'SELECT 2' } };

async function parsedSpec(spec: unknown, baseDir?: string) {
  const result = await parseMigrationSpec(spec, { baseDir });
  if (!result.ok) throw new Error(`expected a valid spec: ${JSON.stringify(result.problems)}`);
  return result.spec;
}

describe('api steps', () => {
  let root: string;
  let baseDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bascule-api-spec-'));
    baseDir = join(root, 'spec');
    await mkdir(join(baseDir, 'contracts'), { recursive: true });
    await writeFile(join(baseDir, 'contracts', 'shop-v1.yaml'), stringify(shopDocument('1.0.0')));
    // v2 keeps its Order in a file of its own: the parsed spec must carry it bundled in.
    const parameters = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
    const responses = { '200': { description: 'the order', content: { 'application/json': { schema: { $ref: 'schemas.yaml#/Order' } } } } };
    await writeFile(join(baseDir, 'contracts', 'shop-v2.yaml'), stringify({ ...shopDocument('2.0.0'), paths: { '/orders/{id}': { get: { parameters, responses } } }, components: {} }));
    await writeFile(join(baseDir, 'contracts', 'schemas.yaml'), stringify({ Order: { type: 'object', properties: { id: { type: 'string' }, total: { type: 'number' } } } }));
    await writeFile(join(baseDir, 'contracts', 'escapes.yaml'), stringify({ ...shopDocument('2.0.0'), components: { schemas: { Order: { $ref: '../../secret.yaml#/Order' } } } }));
    await writeFile(join(baseDir, 'swagger.json'), JSON.stringify({ swagger: '2.0', info: { title: 'shop', version: '1' }, paths: {} }));
    await writeFile(join(baseDir, 'bare-string.yaml'), 'file:../secret.yaml\n');
    await writeFile(join(root, 'secret.yaml'), stringify(shopDocument('9.9.9')));
    await symlink(join(root, 'secret.yaml'), join(baseDir, 'link.yaml'));
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('accept inline documents, apply the defaults and keep the documents in the parsed spec', async () => {
    const spec = await parsedSpec(specWith([apiStep('shop-v2')]));
    expect(spec.phases[0].steps[0].api).toEqual({
      ...apiStep('shop-v2').api,
      canary: { steps: [5, 25, 50, 100], interval: '30s' },
      breaking: 'block',
    });
  });

  it('load file: documents relative to the spec directory and inline them, references to other files bundled in', async () => {
    const step = apiStep('shop-v2', { from: { openapi: 'file:contracts/shop-v1.yaml' }, to: { openapi: 'file:./contracts/shop-v2.yaml' } });
    const api = (await parsedSpec(specWith([step]), baseDir)).phases[0].steps[0].api;
    expect(api?.from.openapi).toEqual(shopDocument('1.0.0'));
    const order = (api?.to.openapi as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }> }).paths['/orders/{id}'].get.responses['200'].content['application/json'].schema;
    expect(order).toEqual({ type: 'object', properties: { id: { type: 'string' }, total: { type: 'number' } } });
    expect(JSON.stringify(api?.to.openapi)).not.toContain('schemas.yaml');
  });

  it('refuse documents and references outside the spec directory: "..", absolute paths, symlinks, URLs', async () => {
    const problems = await problemsOf(
      {
        name: 'm',
        target: 'app',
        phases: [
          {
            name: 'p',
            steps: [
              apiStep('a', { service: 'a', from: { openapi: 'file:../secret.yaml' }, to: { openapi: `file:${join(root, 'secret.yaml')}` } }),
              apiStep('b', { service: 'b', from: { openapi: 'file:link.yaml' }, to: { openapi: 'file:contracts/escapes.yaml' } }),
              apiStep('c', { service: 'c', to: { openapi: { ...shopDocument('2.0.0'), components: { schemas: { Order: { $ref: 'file:///etc/hostname' } } } } } }),
              apiStep('d', { service: 'd', to: { openapi: { ...shopDocument('2.0.0'), components: { schemas: { Order: { $ref: '/etc/hostname.yaml' } } } } } }),
            ],
          },
        ],
      },
      { baseDir },
    );
    expect(pathsAndCodes(problems)).toEqual([
      ['phases[0].steps[0].api.from.openapi', 'file_outside_base_dir'],
      ['phases[0].steps[0].api.to.openapi', 'file_outside_base_dir'],
      ['phases[0].steps[1].api.from.openapi', 'file_outside_base_dir'],
      ['phases[0].steps[1].api.to.openapi', 'file_outside_base_dir'],
      ['phases[0].steps[2].api.to.openapi', 'url_ref_refused'],
      ['phases[0].steps[3].api.to.openapi', 'file_outside_base_dir'],
    ]);
    expect(problems[3].message).toBe('$ref "../../secret.yaml#/Order" at contracts/escapes.yaml#/components/schemas/Order: "../secret.yaml" points outside the spec\'s directory');
    expect(problems[4].message).toContain('$ref "file:///etc/hostname" at #/components/schemas/Order: URLs are not followed');
  });

  it('refuse file references of a spec without a directory (a REST body): file: and a $ref to a file', async () => {
    const problems = await problemsOf(
      specWith([
        apiStep('a', {
          from: { openapi: 'file:contracts/shop-v1.yaml' },
          to: { openapi: { ...shopDocument('2.0.0'), components: { schemas: { Order: { $ref: 'contracts/schemas.yaml#/Order' } } } } },
        }),
      ]),
    );
    expect(pathsAndCodes(problems)).toEqual([
      ['phases[0].steps[0].api.from.openapi', 'file_refs_unavailable'],
      ['phases[0].steps[0].api.to.openapi', 'file_refs_unavailable'],
    ]);
    expect(problems[1].message).toContain('$ref "contracts/schemas.yaml#/Order" at #/components/schemas/Order');
  });

  it('refuse an invalid document with the library\'s message, and Swagger 2.0, at the document\'s path', async () => {
    const { info: _info, ...withoutInfo } = shopDocument('2.0.0');
    const invalid = { ...withoutInfo, info: { title: 'shop' } };
    const problems = await problemsOf(specWith([sqlStep, apiStep('b', { from: { openapi: 'file:swagger.json' }, to: { openapi: invalid } })]), { baseDir });
    expect(problems).toEqual([
      { path: 'phases[0].steps[1].api.from.openapi', code: 'unsupported_openapi_version', message: expect.stringContaining('from (v1) is Swagger 2.0; only OpenAPI 3.0.x and 3.1.x are supported'), file: 'swagger.json' },
      { path: 'phases[0].steps[1].api.to.openapi', code: 'invalid_openapi', message: expect.stringMatching(/^to \(v2\) is not a valid OpenAPI document: .*info.*version/) },
    ]);
  });

  it('refuse a document file that holds no object, without following what it says', async () => {
    const problems = await problemsOf(specWith([apiStep('a', { to: { openapi: 'file:bare-string.yaml' } })]), { baseDir });
    expect(problems).toEqual([expect.objectContaining({ path: 'phases[0].steps[0].api.to.openapi', code: 'invalid_openapi', file: 'bare-string.yaml' })]);
  });

  it('refuse the same version on both sides (the router names its servers after them)', async () => {
    const problems = await problemsOf(specWith([apiStep('a', { to: { version: 'v1' } })]));
    expect(problems).toEqual([expect.objectContaining({ path: 'phases[0].steps[0].api.to.version', message: 'to.version must differ from from.version ("v1")' })]);
  });

  it('refuse a second api step for the same service, at the later one', async () => {
    const spec = { name: 'm', target: 'app', phases: [{ name: 'one', steps: [apiStep('shop-v2')] }, { name: 'two', steps: [apiStep('shop-v3', { from: { version: 'v2' }, to: { version: 'v3' } }), apiStep('cart-v2', { service: 'cart' })] }] };
    const problems = await problemsOf(spec);
    expect(problems).toEqual([
      { path: 'phases[1].steps[0].api.service', code: 'duplicate_api_service', message: expect.stringContaining('service "shop" is already moved by step "shop-v2" (phases[0].steps[0])') },
    ]);
  });
});
