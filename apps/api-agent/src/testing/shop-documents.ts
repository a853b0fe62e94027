/**
 * The OpenAPI document of the test service "shop": `GET /load` (what LoadGenerator calls) answers
 * a JSON object naming its version; `total`, when present, is a number. VersionUpstreamServer's
 * echo (method, url, headers, ...) fits it, and `extra: {total: "…"}` breaks it.
 */
export function shopDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'shop', version },
    paths: {
      '/load': {
        get: {
          operationId: 'load',
          responses: {
            '200': {
              description: 'the load answer',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['version'],
                    properties: { version: { type: 'string' }, total: { type: 'number' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
