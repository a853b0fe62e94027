/**
 * The `shop` service's OpenAPI documents for planner tests: v1 serves `GET /orders/{id}` and
 * `GET /carts`; `shopV2Breaking` drops `/carts` and turns `total` into a string (two error-level
 * changes) and adds `GET /tags` (info).
 */
export function shopV1(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'shop', version: '1.0.0' },
    paths: {
      '/orders/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the order', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } },
        },
      },
      '/carts': { get: { responses: { '200': { description: 'the carts' } } } },
    },
    components: { schemas: { Order: { type: 'object', properties: { id: { type: 'string' }, total: { type: 'integer' } } } } },
  };
}

export function shopV2Breaking(): Record<string, unknown> {
  const v1 = shopV1() as { paths: Record<string, unknown>; components: unknown };
  const { '/carts': _carts, ...kept } = v1.paths;
  return {
    ...v1,
    info: { title: 'shop', version: '2.0.0' },
    paths: { ...kept, '/tags': { get: { responses: { '200': { description: 'the tags' } } } } },
    components: { schemas: { Order: { type: 'object', properties: { id: { type: 'string' }, total: { type: 'string' } } } } },
  };
}

/** A spec with one api step moving `shop` from v1 to v2 under `breaking`; `to` is v2's document (or a `file:` ref). */
export function apiSpec(name: string, to: Record<string, unknown> | string, breaking?: 'block' | 'approve' | 'allow') {
  return {
    name,
    target: 'app',
    phases: [
      {
        name: 'traffic',
        steps: [
          {
            id: 'shop-v2',
            api: {
              service: 'shop',
              router: { kind: 'embedded', listen: '127.0.0.1:18080' },
              from: { version: 'v1', upstream: 'http://127.0.0.1:18081', openapi: shopV1() },
              to: { version: 'v2', upstream: 'http://127.0.0.1:18082', openapi: to },
              ...(breaking ? { breaking } : {}),
            },
          },
        ],
      },
    ],
  };
}
