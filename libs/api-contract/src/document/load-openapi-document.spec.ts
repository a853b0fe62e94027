import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  isContractFileNotFoundError,
  isInvalidOpenApiDocumentError,
  isUnsupportedOpenApiVersionError,
  type ContractFileNotFoundError,
  type InvalidOpenApiDocumentError,
} from '../errors';
import { jsonResponse, openApi30, openApi31 } from '../test-support/openapi-documents';
import { loadOpenApiDocument } from './load-openapi-document';

const ordersYaml = `openapi: 3.0.3
info:
  title: shop
  version: 2.0.0
paths:
  /orders/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
      responses:
        '200':
          description: one order
          content:
            application/json:
              schema:
                $ref: './schemas/order.yaml'
`;

const orderSchemaYaml = `type: object
required: [id]
properties:
  id: { type: string }
`;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('loadOpenApiDocument', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'api-contract-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads an inline 3.0 document without touching the caller’s object', async () => {
    const document = openApi30(
      { '/orders': { get: { responses: { '200': jsonResponse({ $ref: '#/components/schemas/Order' }) } } } },
      { components: { schemas: { Order: { type: 'object', properties: { parent: { $ref: '#/components/schemas/Order' } } } } } },
    );
    const before = structuredClone(document);
    const contract = await loadOpenApiDocument(document, { baseDir: dir, label: 'from (v1)' });

    expect(document).toEqual(before);
    expect(contract).toMatchObject({ label: 'from (v1)', version: '3.0', document: before, bundled: before });
    expect(contract.document).not.toBe(document);
    const dereferenced = contract.dereferenced as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }> };
    const schema = dereferenced.paths['/orders'].get.responses['200'].content['application/json'].schema as { properties: { parent: unknown } };
    expect(schema).toMatchObject({ type: 'object' });
    expect(schema.properties.parent).toBe(schema);
  });

  it('reads a 3.1 document', async () => {
    const contract = await loadOpenApiDocument(openApi31({ '/orders': { get: { responses: { '200': jsonResponse({ type: ['string', 'null'] }) } } } }), { baseDir: dir, label: 'to (v2)' });
    expect(contract.version).toBe('3.1');
  });

  it('refuses a document that is not valid OpenAPI, naming the label and where the problem is', async () => {
    const invalid = { openapi: '3.0.3', info: { title: 'shop' }, paths: { '/orders': { get: { responses: { '200': { descriptio: 'typo' } } } } } };
    const error = await rejection(loadOpenApiDocument(invalid, { baseDir: dir, label: 'to (v2)' }));

    expect(isInvalidOpenApiDocumentError(error)).toBe(true);
    expect((error as InvalidOpenApiDocumentError).code).toBe('INVALID_OPENAPI');
    expect(error.message).toMatch(/^to \(v2\) is not a valid OpenAPI document: /);
    expect(error.message).toContain("#/info must have required property 'version'");
    expect(error.message).toContain("#/paths/~1orders/get/responses/200 must have required property 'description'");
    expect(error.message).not.toContain("must have required property '$ref'");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses a $ref that points nowhere', async () => {
    const dangling = openApi30({ '/orders': { get: { responses: { '200': { $ref: '#/components/responses/Missing' } } } } });
    const error = await rejection(loadOpenApiDocument(dangling, { baseDir: dir, label: 'to (v2)' }));
    expect(isInvalidOpenApiDocumentError(error)).toBe(true);
    expect(error.message).toContain('#/components/responses/Missing');
  });

  it('refuses Swagger 2.0 and OpenAPI versions it does not read', async () => {
    const swagger = { swagger: '2.0', info: { title: 'shop', version: '1' }, paths: {} };
    const error = await rejection(loadOpenApiDocument(swagger, { baseDir: dir, label: 'from (v1)' }));
    expect(isUnsupportedOpenApiVersionError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_OPENAPI_VERSION', version: 'Swagger 2.0' });
    expect(error.message).toBe(
      'from (v1) is Swagger 2.0; only OpenAPI 3.0.x and 3.1.x are supported: convert it (for Swagger 2.0, e.g. with swagger2openapi) and plan again',
    );
    const future = await rejection(loadOpenApiDocument({ ...openApi30({}), openapi: '4.0.0' }, { baseDir: dir, label: 'to (v2)' }));
    expect(future.message).toMatch(/^to \(v2\) is OpenAPI 4\.0\.0; only OpenAPI 3\.0\.x and 3\.1\.x are supported/);
  });

  it('reads a YAML file relative to baseDir and bundles its external $refs', async () => {
    await mkdir(path.join(dir, 'contracts', 'schemas'), { recursive: true });
    await writeFile(path.join(dir, 'contracts', 'shop-v2.yaml'), ordersYaml);
    await writeFile(path.join(dir, 'contracts', 'schemas', 'order.yaml'), orderSchemaYaml);

    const contract = await loadOpenApiDocument('file:contracts/shop-v2.yaml', { baseDir: dir, label: 'to (v2)' });

    expect(contract.version).toBe('3.0');
    expect(contract.document).toMatchObject({ info: { version: '2.0.0' } });
    const bundledSchema = (contract.bundled as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }> }).paths['/orders/{id}'].get
      .responses['200'].content['application/json'].schema;
    expect(bundledSchema).toEqual({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } });
  });

  it('reads a JSON file', async () => {
    await writeFile(path.join(dir, 'shop-v1.json'), JSON.stringify(openApi31({ '/orders': { get: { responses: { '200': { description: 'ok' } } } } })));
    const contract = await loadOpenApiDocument('file:shop-v1.json', { baseDir: dir, label: 'from (v1)' });
    expect(contract).toMatchObject({ version: '3.1', document: { paths: { '/orders': { get: {} } } } });
  });

  it('names the missing file', async () => {
    const error = await rejection(loadOpenApiDocument('file:missing/shop-v3.yaml', { baseDir: dir, label: 'to (v3)' }));
    expect(isContractFileNotFoundError(error)).toBe(true);
    expect((error as ContractFileNotFoundError).code).toBe('CONTRACT_FILE_NOT_FOUND');
    expect((error as ContractFileNotFoundError).path).toBe(path.join(dir, 'missing', 'shop-v3.yaml'));
    expect(error.message).toContain(`to (v3): no OpenAPI document at ${path.join(dir, 'missing', 'shop-v3.yaml')}`);
  });

  it('reports where a YAML file stops parsing', async () => {
    await writeFile(path.join(dir, 'broken.yaml'), 'openapi: 3.0.3\ninfo:\n  title: [shop\n');
    const error = await rejection(loadOpenApiDocument('file:broken.yaml', { baseDir: dir, label: 'to (v2)' }));
    expect(isInvalidOpenApiDocumentError(error)).toBe(true);
    expect(error.message).toContain(path.join(dir, 'broken.yaml'));
    expect(error.message).toMatch(/line \d+/);
  });

  it('refuses a source that is neither a document nor a file: reference', async () => {
    const error = await rejection(loadOpenApiDocument('shop-v2.yaml', { baseDir: dir, label: 'to (v2)' }));
    expect(error).toMatchObject({ code: 'INVALID_CONTRACT_SOURCE' });
    expect(error.message).toBe('to (v2): "shop-v2.yaml" is not a contract source; give the document inline or as "file:<path>"');
  });
});
