import type { JsonObject } from '../document/json-node';
import { brief, diffDocuments, noContent, openApi30 } from '../test-support/openapi-documents';

const securitySchemes = {
  apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
  oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: { 'orders:read': 'read', 'orders:write': 'write' } } } },
};

function secured(operationSecurity: unknown[], globalSecurity: unknown[] = []): JsonObject {
  return openApi30(
    { '/orders': { post: { security: operationSecurity, responses: { '201': noContent } } } },
    { components: { securitySchemes }, ...(globalSecurity.length > 0 ? { security: globalSecurity } : {}) },
  );
}

describe('diffContracts: security', () => {
  it('reports a security alternative taken away as breaking and one offered as info', async () => {
    const changes = await diffDocuments(secured([{ apiKey: [] }, { oauth: ['orders:write'] }]), secured([{ oauth: ['orders:write'] }]));
    expect(brief(changes)).toEqual([{ id: 'api-security-removed', level: 'error', operation: 'POST /orders', path: '/paths/~1orders/post/security/0' }]);
    expect(changes[0].message).toBe("the security requirement apiKey was removed from the endpoint's security");
    expect(brief(await diffDocuments(secured([{ oauth: ['orders:write'] }]), secured([{ oauth: ['orders:write'] }, { apiKey: [] }])))).toEqual([
      { id: 'api-security-added', level: 'info', operation: 'POST /orders', path: '/paths/~1orders/post/security/1' },
    ]);
  });

  it('reports a scope demanded on top as breaking and a scope no longer demanded as info', async () => {
    expect(brief(await diffDocuments(secured([{ oauth: ['orders:write'] }]), secured([{ oauth: ['orders:write', 'orders:read'] }])))).toEqual([
      { id: 'api-security-scope-added', level: 'error', operation: 'POST /orders', path: '/paths/~1orders/post/security/0/oauth/1' },
    ]);
    expect(brief(await diffDocuments(secured([{ oauth: ['orders:write', 'orders:read'] }]), secured([{ oauth: ['orders:write'] }])))).toEqual([
      { id: 'api-security-scope-removed', level: 'info', operation: 'POST /orders', path: '/paths/~1orders/post/security/0/oauth/1' },
    ]);
  });

  it('reports document-wide security changes without an operation', async () => {
    const changes = await diffDocuments(secured([{ apiKey: [] }], [{ apiKey: [] }, { oauth: [] }]), secured([{ apiKey: [] }], [{ apiKey: [] }]));
    expect(changes).toEqual([
      { id: 'api-global-security-removed', level: 'error', path: '/security/1', message: 'the security requirement oauth was removed from the global security' },
    ]);
  });
});
