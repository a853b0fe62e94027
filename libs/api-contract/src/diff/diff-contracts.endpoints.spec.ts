import { brief, diffDocuments, jsonResponse, noContent, openApi30, openApi31 } from '../test-support/openapi-documents';

const order = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } }, parent: { $ref: '#/components/schemas/Order' } },
};
const components = { schemas: { Order: order, Line: { type: 'object', properties: { sku: { type: 'string' } } } } };

function shop(extraPaths: Record<string, unknown> = {}) {
  return openApi30(
    {
      '/orders': { get: { responses: { '200': jsonResponse({ type: 'array', items: { $ref: '#/components/schemas/Order' } }) } } },
      '/orders/{id}': {
        get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': jsonResponse({ $ref: '#/components/schemas/Order' }) } },
        delete: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '204': noContent } },
      },
      ...extraPaths,
    },
    { components: structuredClone(components) },
  );
}

describe('diffContracts: endpoints', () => {
  it('reports nothing for identical documents, $refs and a recursive schema included', async () => {
    expect(await diffDocuments(shop(), shop())).toEqual([]);
    const v31 = openApi31({ '/orders': { get: { responses: { '200': jsonResponse({ $ref: '#/components/schemas/Order' }) } } } }, { components });
    expect(await diffDocuments(v31, structuredClone(v31))).toEqual([]);
  });

  it('reports nothing for a framework upgrade that rewords descriptions, reorders keys and renames a path parameter', async () => {
    const upgraded = shop();
    const paths = upgraded.paths as Record<string, Record<string, Record<string, unknown>>>;
    paths['/orders'].get.summary = 'List orders';
    paths['/orders'].get.responses = { '200': { ...jsonResponse({ type: 'array', items: { $ref: '#/components/schemas/Order' } }), description: 'The orders' } };
    const byId = paths['/orders/{id}'];
    delete paths['/orders/{id}'];
    paths['/orders/{orderId}'] = {
      delete: { parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }], responses: { '204': noContent } },
      get: { ...byId.get, parameters: [{ in: 'path', name: 'orderId', schema: { type: 'string' }, required: true }] },
    };
    expect(await diffDocuments(shop(), upgraded)).toEqual([]);
  });

  it('reports an operation added under a new path and under an existing one', async () => {
    const to = shop({ '/carts': { post: { responses: { '201': noContent } } } });
    (to.paths as Record<string, Record<string, unknown>>)['/orders'].post = { responses: { '201': noContent } };
    expect(brief(await diffDocuments(shop(), to))).toEqual([
      { id: 'endpoint-added', level: 'info', operation: 'POST /carts', path: '/paths/~1carts/post' },
      { id: 'endpoint-added', level: 'info', operation: 'POST /orders', path: '/paths/~1orders/post' },
    ]);
  });

  it('reports a removed path against each of its operations, at a lower level for the deprecated one', async () => {
    const from = shop({ '/legacy/orders': { get: { responses: { '200': noContent } }, post: { deprecated: true, responses: { '201': noContent } } } });
    const changes = await diffDocuments(from, shop());
    expect(brief(changes)).toEqual([
      { id: 'api-path-removed-without-deprecation', level: 'error', operation: 'GET /legacy/orders', path: '/paths/~1legacy~1orders/get' },
      { id: 'api-path-removed-with-deprecation', level: 'info', operation: 'POST /legacy/orders', path: '/paths/~1legacy~1orders/post' },
    ]);
    expect(changes[0].message).toBe('api path removed without deprecation');
  });

  it('reports an operation removed from a path that stays', async () => {
    const to = shop();
    delete (to.paths as Record<string, Record<string, unknown>>)['/orders/{id}'].delete;
    expect(brief(await diffDocuments(shop(), to))).toEqual([
      { id: 'api-removed-without-deprecation', level: 'error', operation: 'DELETE /orders/{id}', path: '/paths/~1orders~1{id}/delete' },
    ]);
  });

  it('judges a deprecated removal by its x-sunset date', async () => {
    const withSunset = (sunset: unknown) => {
      const from = shop();
      Object.assign((from.paths as Record<string, Record<string, Record<string, unknown>>>)['/orders/{id}'].delete, { deprecated: true, 'x-sunset': sunset });
      return from;
    };
    const to = shop();
    delete (to.paths as Record<string, Record<string, unknown>>)['/orders/{id}'].delete;
    const now = new Date('2026-03-01T12:00:00Z');

    expect(brief(await diffDocuments(withSunset('2026-06-30'), to, { now }))).toEqual([
      { id: 'api-removed-before-sunset', level: 'error', operation: 'DELETE /orders/{id}', path: '/paths/~1orders~1{id}/delete' },
    ]);
    expect(await diffDocuments(withSunset('2026-03-01'), to, { now })).toEqual([]);
    expect(await diffDocuments(withSunset('2026-02-01T00:00:00Z'), to, { now })).toEqual([]);
    const unreadable = await diffDocuments(withSunset('next spring'), to, { now });
    expect(brief(unreadable)).toEqual([{ id: 'api-path-sunset-parse', level: 'error', operation: 'DELETE /orders/{id}', path: '/paths/~1orders~1{id}/delete' }]);
    expect(unreadable[0].message).toContain('"next spring"');
  });

  it('reports a removed path deprecated with a future sunset as removed before sunset', async () => {
    const from = shop({ '/legacy': { get: { deprecated: true, 'x-sunset': '2099-01-01', responses: { '200': noContent } } } });
    expect(brief(await diffDocuments(from, shop()))).toEqual([
      { id: 'api-path-removed-before-sunset', level: 'error', operation: 'GET /legacy', path: '/paths/~1legacy/get' },
    ]);
  });
});
