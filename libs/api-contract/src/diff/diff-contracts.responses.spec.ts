import type { JsonObject } from '../document/json-node';
import { brief, diffDocuments, jsonResponse, noContent, openApi30, openApi31 } from '../test-support/openapi-documents';

const schemaPath = '/paths/~1orders~1{id}/get/responses/200/content/application~1json/schema';
const byId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];

function getOrder(schema: JsonObject, responses: JsonObject = {}, make = openApi30) {
  return make({ '/orders/{id}': { get: { parameters: byId, responses: { '200': jsonResponse(schema), ...responses } } } });
}

const order = (properties: JsonObject, required: string[] = ['id']) => ({ type: 'object', required, properties: { id: { type: 'string' }, ...properties } });

describe('diffContracts: responses', () => {
  it('reports a removed success status as breaking and other status changes as info', async () => {
    const from = openApi30({ '/orders': { post: { responses: { '201': noContent, '409': { description: 'duplicate' } } } } });
    const to = openApi30({ '/orders': { post: { responses: { '200': noContent, '422': { description: 'invalid' } } } } });
    const changes = await diffDocuments(from, to);
    expect(brief(changes)).toEqual([
      { id: 'response-success-status-removed', level: 'error', operation: 'POST /orders', path: '/paths/~1orders/post/responses/201' },
      { id: 'response-success-status-added', level: 'info', operation: 'POST /orders', path: '/paths/~1orders/post/responses/200' },
      { id: 'response-non-success-status-removed', level: 'info', operation: 'POST /orders', path: '/paths/~1orders/post/responses/409' },
      { id: 'response-non-success-status-added', level: 'info', operation: 'POST /orders', path: '/paths/~1orders/post/responses/422' },
    ]);
    expect(changes[0].message).toBe('removed the success response with the status 201');
  });

  it('reports a removed required response property as breaking and a removed optional one as info', async () => {
    const changes = await diffDocuments(getOrder(order({ total: { type: 'number' }, note: { type: 'string' } }, ['id', 'total'])), getOrder(order({})));
    expect(brief(changes)).toEqual([
      { id: 'response-required-property-removed', level: 'error', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/total` },
      { id: 'response-optional-property-removed', level: 'info', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/note` },
    ]);
    expect(changes[0].message).toBe('removed the required property "total" from the response body (application/json) for the status 200');
  });

  it('reports a response property that became optional as breaking, and the way back as info', async () => {
    const required = getOrder(order({ total: { type: 'number' } }, ['id', 'total']));
    const optional = getOrder(order({ total: { type: 'number' } }));
    expect(brief(await diffDocuments(required, optional))).toEqual([
      { id: 'response-property-became-optional', level: 'error', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/total` },
    ]);
    expect(brief(await diffDocuments(optional, required))).toEqual([
      { id: 'response-property-became-required', level: 'info', operation: 'GET /orders/{id}', path: `${schemaPath}/required/1` },
    ]);
  });

  it('reports added response properties as info', async () => {
    expect(brief(await diffDocuments(getOrder(order({})), getOrder(order({ total: { type: 'number' }, note: { type: 'string' } }, ['id', 'total']))))).toEqual([
      { id: 'response-optional-property-added', level: 'info', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/note` },
      { id: 'response-required-property-added', level: 'info', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/total` },
    ]);
  });

  it('does not count a writeOnly property as something responses promised', async () => {
    expect(await diffDocuments(getOrder(order({ secret: { type: 'string', writeOnly: true } }, ['id', 'secret'])), getOrder(order({})))).toEqual([]);
  });

  it('judges a response property type change by what clients may now receive', async () => {
    const total = (schema: JsonObject) => getOrder(order({ total: schema }));
    const path = `${schemaPath}/properties/total/type`;
    expect(brief(await diffDocuments(total({ type: 'number' }), total({ type: 'string' })))).toEqual([
      { id: 'response-property-type-changed', level: 'error', operation: 'GET /orders/{id}', path },
    ]);
    expect(brief(await diffDocuments(total({ type: 'integer' }), total({ type: 'number' })))).toEqual([
      { id: 'response-property-type-generalized', level: 'error', operation: 'GET /orders/{id}', path },
    ]);
    expect(brief(await diffDocuments(total({ type: 'number' }), total({ type: 'integer' })))).toEqual([
      { id: 'response-property-type-specialized', level: 'info', operation: 'GET /orders/{id}', path },
    ]);
  });

  it('reports a response body type change, and the properties clients lose with it', async () => {
    expect(brief(await diffDocuments(getOrder(order({})), getOrder({ type: 'array', items: order({}) })))).toEqual([
      { id: 'response-required-property-removed', level: 'error', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/id` },
      { id: 'response-body-type-changed', level: 'error', operation: 'GET /orders/{id}', path: `${schemaPath}/type` },
    ]);
  });

  it('warns about a new response enum value and reports a removed one as info', async () => {
    const status = (values: string[]) => getOrder(order({ status: { type: 'string', enum: values } }));
    const changes = await diffDocuments(status(['open', 'paid']), status(['open', 'refunded']));
    expect(brief(changes)).toEqual([
      { id: 'response-property-enum-value-added', level: 'warning', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/status/enum/1` },
      { id: 'response-property-enum-value-removed', level: 'info', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/status/enum/1` },
    ]);
    expect(changes[0].message).toBe('added the enum value "refunded" to the response property "status" for the status 200');
  });

  it('reports a response property that may now be null, in 3.0 and in 3.1 spelling', async () => {
    expect(brief(await diffDocuments(getOrder(order({ note: { type: 'string' } })), getOrder(order({ note: { type: 'string', nullable: true } }))))).toEqual([
      { id: 'response-property-became-nullable', level: 'error', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/note/nullable` },
    ]);
    const v31 = (type: unknown) => getOrder(order({ note: { type } }), {}, openApi31);
    expect(brief(await diffDocuments(v31(['string', 'null']), v31('string')))).toEqual([
      { id: 'response-property-became-not-nullable', level: 'info', operation: 'GET /orders/{id}', path: `${schemaPath}/properties/note/type` },
    ]);
  });

  it('names properties inside arrays and follows a recursive component', async () => {
    const components = (lineProperties: JsonObject) => ({
      schemas: {
        Order: { type: 'object', required: ['lines'], properties: { lines: { type: 'array', items: { type: 'object', required: ['sku'], properties: lineProperties } }, parent: { $ref: '#/components/schemas/Order' } } },
      },
    });
    const doc = (lineProperties: JsonObject) =>
      openApi30({ '/orders/{id}': { get: { parameters: byId, responses: { '200': jsonResponse({ $ref: '#/components/schemas/Order' }) } } } }, { components: components(lineProperties) });
    const changes = await diffDocuments(doc({ sku: { type: 'string' }, qty: { type: 'integer' } }), doc({ sku: { type: 'string' } }));
    expect(brief(changes)).toEqual([
      { id: 'response-optional-property-removed', level: 'info', operation: 'GET /orders/{id}', path: '/components/schemas/Order/properties/lines/items/properties/qty' },
    ]);
    expect(changes[0].message).toContain('"lines/items/qty"');
  });

  it('reports a media type a response no longer offers', async () => {
    const both = getOrder(order({}));
    const response = (((both.paths as JsonObject)['/orders/{id}'] as JsonObject).get as { responses: Record<string, { content: JsonObject }> }).responses['200'];
    response.content['application/xml'] = { schema: order({}) };
    expect(brief(await diffDocuments(both, getOrder(order({}))))).toEqual([
      { id: 'response-media-type-removed', level: 'error', operation: 'GET /orders/{id}', path: '/paths/~1orders~1{id}/get/responses/200/content/application~1xml' },
    ]);
  });
});
