import { diffDocuments, jsonResponse, openApi30 } from '../test-support/openapi-documents';
import { contractChange } from './contract-change';
import { summarizeContract } from './summarize-contract';

const at = { operation: 'GET /orders', pointer: ['paths', '/orders', 'get'] };

describe('summarizeContract', () => {
  it('is not breaking without changes', () => {
    expect(summarizeContract([])).toEqual({ breaking: false, counts: { error: 0, warning: 0, info: 0 } });
  });

  it('is not breaking with warnings and info only', () => {
    const changes = [
      contractChange('response-property-enum-value-added', at, 'added'),
      contractChange('request-property-removed', at, 'removed'),
      contractChange('endpoint-added', at, 'added'),
    ];
    expect(summarizeContract(changes)).toEqual({ breaking: false, counts: { error: 0, warning: 2, info: 1 } });
  });

  it('is breaking with one error-level change among the changes of a real diff', async () => {
    const order = (properties: Record<string, unknown>) => ({ type: 'object', required: ['id'], properties: { id: { type: 'string' }, ...properties } });
    const from = openApi30({ '/orders': { get: { responses: { '200': jsonResponse(order({ status: { type: 'string', enum: ['open'] } })) } } } });
    const to = openApi30({
      '/orders': { get: { parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }], responses: { '200': jsonResponse(order({ status: { type: 'string', enum: ['open', 'void'] } })) } } },
      '/carts': { get: { responses: { '200': { description: 'ok' } } } },
    });
    const withoutBreaking = await diffDocuments(from, to);
    expect(summarizeContract(withoutBreaking)).toEqual({ breaking: false, counts: { error: 0, warning: 1, info: 2 } });

    (to.paths as Record<string, Record<string, { parameters: Array<Record<string, unknown>> }>>)['/orders'].get.parameters[0].required = true;
    expect(summarizeContract(await diffDocuments(from, to))).toEqual({ breaking: true, counts: { error: 1, warning: 1, info: 1 } });
  });
});
