import { jsonResponse, loadInline, openApi30 } from '../test-support/openapi-documents';
import { createSchemaValidator } from './schema-compiler';

describe('createSchemaValidator', () => {
  it('compiles each schema once', async () => {
    const contract = await loadInline(openApi30({ '/orders': { get: { responses: { '200': jsonResponse({ type: 'string' }), '201': jsonResponse({ type: 'string' }) } } } }), 'to (v2)');
    const validatorFor = createSchemaValidator(contract);
    const ok = ['paths', '/orders', 'get', 'responses', '200', 'content', 'application/json', 'schema'];
    const created = ['paths', '/orders', 'get', 'responses', '201', 'content', 'application/json', 'schema'];

    expect(validatorFor(ok)).toBe(validatorFor([...ok]));
    expect(validatorFor(created)).not.toBe(validatorFor(ok));
    expect(validatorFor(ok)('text')).toBe(true);
    expect(validatorFor(ok)(42)).toBe(false);
  });
});
