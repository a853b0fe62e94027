import type { JsonObject } from '../document/json-node';
import { jsonResponse, loadInline, openApi30, openApi31 } from '../test-support/openapi-documents';
import { createResponseValidator, type ResponseValidator } from './response-validator';

const byId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const json = 'application/json; charset=utf-8';

const order = {
  type: 'object',
  required: ['id', 'total'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    total: { type: 'number', exclusiveMinimum: true, minimum: 0 },
    note: { type: 'string', nullable: true },
    status: { type: 'string', enum: ['open', 'paid'], nullable: true },
    coupon: { allOf: [{ $ref: '#/components/schemas/Coupon' }], nullable: true },
    parent: { $ref: '#/components/schemas/Order' },
  },
};

function shop30(): JsonObject {
  return openApi30(
    {
      '/orders': { get: { responses: { '200': jsonResponse({ type: 'array', items: { $ref: '#/components/schemas/Order' } }) } } },
      '/orders/mine': { get: { responses: { '200': jsonResponse({ type: 'array', maxItems: 0 }) } } },
      '/orders/{id}': {
        get: {
          parameters: byId,
          responses: {
            '200': jsonResponse({ $ref: '#/components/schemas/Order' }),
            '4XX': jsonResponse({ type: 'object', required: ['code'], properties: { code: { type: 'string' } } }),
            default: { description: 'unexpected', content: { 'text/plain': { schema: { type: 'string' } } } },
          },
        },
        delete: { parameters: byId, responses: { '204': { description: 'deleted' } } },
      },
    },
    { components: { schemas: { Order: order, Coupon: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } } } } },
  );
}

const anOrder = { id: '6f1c1b62-6c3c-4a8b-9a43-2a8f1c2b7a11', total: 12.5 };

describe('createResponseValidator', () => {
  let validator: ResponseValidator;

  beforeAll(async () => {
    validator = createResponseValidator(await loadInline(shop30(), 'to (v2)'));
  });

  it('accepts a body that matches the schema of a templated path, query string and all', () => {
    expect(validator.validate({ method: 'GET', path: '/orders/42?expand=lines', status: 200, contentType: json, body: anOrder })).toEqual({
      valid: true,
      operation: 'GET /orders/{id}',
      errors: [],
    });
    expect(validator.validate({ method: 'get', path: '/orders', status: 200, contentType: json, body: [anOrder, { ...anOrder, parent: anOrder }] }).valid).toBe(true);
  });

  it('reports a property of the wrong type, through a recursive $ref', () => {
    expect(validator.validate({ method: 'GET', path: '/orders/42', status: 200, contentType: json, body: { ...anOrder, parent: { ...anOrder, total: '12.50' } } })).toEqual({
      valid: false,
      operation: 'GET /orders/{id}',
      errors: ['body/parent/total must be number'],
    });
  });

  it('reports a missing required property and a broken format', () => {
    const verdict = validator.validate({ method: 'GET', path: '/orders/42', status: 200, contentType: json, body: { id: 'not-a-uuid' } });
    expect(verdict.valid).toBe(false);
    expect(verdict.errors).toEqual(expect.arrayContaining(["body must have required property 'total'", 'body/id must match format "uuid"']));
  });

  it('reads 3.0 nullable and boolean exclusiveMinimum as written', () => {
    const validate = (body: JsonObject) => validator.validate({ method: 'GET', path: '/orders/42', status: 200, contentType: json, body });
    expect(validate({ ...anOrder, note: null, status: null, coupon: null }).valid).toBe(true);
    expect(validate({ ...anOrder, coupon: { code: 'SPRING' } }).valid).toBe(true);
    expect(validate({ ...anOrder, id: null }).errors).toEqual(['body/id must be string']);
    expect(validate({ ...anOrder, status: 'void' }).errors).toEqual(['body/status must be equal to one of the allowed values (["open","paid",null])']);
    expect(validate({ ...anOrder, total: 0 }).errors).toEqual(['body/total must be > 0']);
  });

  it('reports a status the operation does not document', () => {
    expect(validator.validate({ method: 'DELETE', path: '/orders/42', status: 200, contentType: json, body: anOrder })).toEqual({
      valid: false,
      operation: 'DELETE /orders/{id}',
      errors: ['status 200 is not documented for DELETE /orders/{id}'],
    });
  });

  it('falls back to the status range, then to default', () => {
    expect(validator.validate({ method: 'GET', path: '/orders/42', status: 404, contentType: json, body: { code: 'NOT_FOUND' } }).valid).toBe(true);
    expect(validator.validate({ method: 'GET', path: '/orders/42', status: 409, contentType: json, body: { message: 'conflict' } }).errors).toEqual([
      "body must have required property 'code'",
    ]);
    expect(validator.validate({ method: 'GET', path: '/orders/42', status: 503, contentType: 'text/plain', body: 'down' })).toEqual({
      valid: true,
      operation: 'GET /orders/{id}',
      errors: [],
    });
  });

  it('reports a body where none is documented and a content type that is not', () => {
    expect(validator.validate({ method: 'DELETE', path: '/orders/42', status: 204 })).toMatchObject({ valid: true });
    expect(validator.validate({ method: 'DELETE', path: '/orders/42', status: 204, contentType: json, body: {} }).errors).toEqual([
      'the 204 response of DELETE /orders/{id} documents no body, but one was returned',
    ]);
    expect(validator.validate({ method: 'GET', path: '/orders/42', status: 200, contentType: 'application/xml', body: '<order/>' }).errors).toEqual([
      'content type application/xml is not documented for the 200 response of GET /orders/{id} (documented: application/json)',
    ]);
  });

  it('prefers a concrete path to a template', () => {
    expect(validator.validate({ method: 'GET', path: '/orders/mine', status: 200, contentType: json, body: [anOrder] })).toMatchObject({
      operation: 'GET /orders/mine',
      errors: ['body must NOT have more than 0 items'],
    });
    expect(validator.validate({ method: 'DELETE', path: '/orders/mine', status: 204 })).toMatchObject({ valid: true, operation: 'DELETE /orders/{id}' });
  });

  it('reports a path or a method the document does not have', () => {
    expect(validator.validate({ method: 'GET', path: '/carts/1', status: 200, contentType: json, body: {} })).toEqual({
      valid: false,
      errors: ['no path in the document matches /carts/1'],
    });
    expect(validator.validate({ method: 'PUT', path: '/orders/42', status: 200, contentType: json, body: anOrder })).toEqual({
      valid: false,
      errors: ['PUT is not documented for /orders/{id}'],
    });
  });

  it('strips the servers’ base path before matching', async () => {
    const withServers = { ...shop30(), servers: [{ url: 'https://{region}.shop.example.com/api/{version}', variables: { region: { default: 'eu' }, version: { default: 'v2' } } }] };
    const behindBasePath = createResponseValidator(await loadInline(withServers, 'to (v2)'));
    expect(behindBasePath.validate({ method: 'GET', path: '/api/v2/orders/42', status: 200, contentType: json, body: anOrder })).toMatchObject({ valid: true, operation: 'GET /orders/{id}' });
    expect(behindBasePath.validate({ method: 'GET', path: '/orders/42', status: 200, contentType: json, body: anOrder }).errors).toEqual([
      "/orders/42 is outside the servers' base paths (/api/v2)",
    ]);
  });

  it('validates 3.1 documents as JSON Schema 2020-12, type arrays included', async () => {
    const v31 = openApi31({
      '/orders/{id}': {
        get: {
          parameters: byId,
          responses: {
            '200': jsonResponse({
              type: 'object',
              required: ['id'],
              properties: { id: { type: 'string' }, note: { type: ['string', 'null'] }, tags: { type: 'array', prefixItems: [{ const: 'first' }] } },
            }),
          },
        },
      },
    });
    const validator31 = createResponseValidator(await loadInline(v31, 'to (v2)'));
    const validate = (body: JsonObject) => validator31.validate({ method: 'GET', path: '/orders/42', status: 200, contentType: json, body });
    expect(validate({ id: 'a', note: null }).valid).toBe(true);
    expect(validate({ id: 'a', note: 7 }).errors).toEqual(['body/note must be string,null']);
    expect(validate({ id: 'a', tags: ['second'] }).errors).toEqual(['body/tags/0 must be equal to constant']);
  });
});
