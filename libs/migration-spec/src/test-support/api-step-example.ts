/** A small OpenAPI 3.0 document of the `shop` service: `GET /orders/{id}`, an Order with `total`. */
export function shopDocument(version = '1.0.0', total: Record<string, unknown> = { type: 'integer' }): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'shop', version },
    paths: {
      '/orders/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the order', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } },
        },
      },
    },
    components: { schemas: { Order: { type: 'object', required: ['id', 'total'], properties: { id: { type: 'string' }, total } } } },
  };
}

/** An api step moving `shop` from v1 to v2; `from`/`to` override the versions' fields. */
export function apiStep(id: string, overrides: { service?: string; from?: Record<string, unknown>; to?: Record<string, unknown>; breaking?: string } = {}) {
  return {
    id,
    api: {
      service: overrides.service ?? 'shop',
      router: { kind: 'embedded', listen: '127.0.0.1:8080' },
      from: { version: 'v1', upstream: 'http://127.0.0.1:8081', openapi: shopDocument('1.0.0'), ...overrides.from },
      to: { version: 'v2', upstream: 'http://127.0.0.1:8082', openapi: shopDocument('2.0.0'), ...overrides.to },
      ...(overrides.breaking ? { breaking: overrides.breaking } : {}),
    },
  };
}
