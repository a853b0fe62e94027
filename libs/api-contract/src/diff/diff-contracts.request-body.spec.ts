import type { JsonObject } from '../document/json-node';
import { brief, diffDocuments, jsonContent, openApi30 } from '../test-support/openapi-documents';

const created = { '201': { description: 'created' } };
const schemaPath = '/paths/~1orders/post/requestBody/content/application~1json/schema';

function newOrder(schema: JsonObject, body: JsonObject = {}, components: JsonObject = {}) {
  return openApi30({ '/orders': { post: { requestBody: { ...jsonContent(schema), ...body }, responses: created } } }, { components });
}

const orderInput = (properties: JsonObject, required: string[] = ['sku']) => ({ type: 'object', required, properties: { sku: { type: 'string' }, ...properties } });

describe('diffContracts: request body', () => {
  it('reports a request body that became required, and the way back', async () => {
    const optional = newOrder(orderInput({}));
    const required = newOrder(orderInput({}), { required: true });
    expect(brief(await diffDocuments(optional, required))).toEqual([
      { id: 'request-body-became-required', level: 'error', operation: 'POST /orders', path: '/paths/~1orders/post/requestBody/required' },
    ]);
    expect(brief(await diffDocuments(required, optional))).toEqual([
      { id: 'request-body-became-optional', level: 'info', operation: 'POST /orders', path: '/paths/~1orders/post/requestBody' },
    ]);
  });

  it('reports a request body added to, or removed from, an operation', async () => {
    const bodiless = openApi30({ '/orders': { post: { responses: created } } });
    expect(brief(await diffDocuments(bodiless, newOrder(orderInput({}), { required: true })))).toEqual([
      { id: 'request-body-added-required', level: 'error', operation: 'POST /orders', path: '/paths/~1orders/post/requestBody' },
    ]);
    expect(brief(await diffDocuments(newOrder(orderInput({})), bodiless))).toEqual([
      { id: 'request-body-removed', level: 'error', operation: 'POST /orders', path: '/paths/~1orders/post/requestBody' },
    ]);
  });

  it('reports a new required property as breaking and a new optional one as info', async () => {
    const changes = await diffDocuments(newOrder(orderInput({})), newOrder(orderInput({ quantity: { type: 'integer' }, note: { type: 'string' } }, ['sku', 'quantity'])));
    expect(brief(changes)).toEqual([
      { id: 'new-required-request-property', level: 'error', operation: 'POST /orders', path: `${schemaPath}/properties/quantity` },
      { id: 'new-optional-request-property', level: 'info', operation: 'POST /orders', path: `${schemaPath}/properties/note` },
    ]);
    expect(changes[0].message).toBe('added the new required request property "quantity" to the request body (application/json)');
  });

  it('does not ask clients for a new required readOnly property', async () => {
    expect(await diffDocuments(newOrder(orderInput({})), newOrder(orderInput({ id: { type: 'string', readOnly: true } }, ['sku', 'id'])))).toEqual([]);
  });

  it('reports an existing property that became required, and the way back', async () => {
    const optionalNote = newOrder(orderInput({ note: { type: 'string' } }));
    const requiredNote = newOrder(orderInput({ note: { type: 'string' } }, ['sku', 'note']));
    expect(brief(await diffDocuments(optionalNote, requiredNote))).toEqual([
      { id: 'request-property-became-required', level: 'error', operation: 'POST /orders', path: `${schemaPath}/required/1` },
    ]);
    expect(brief(await diffDocuments(requiredNote, optionalNote))).toEqual([
      { id: 'request-property-became-optional', level: 'info', operation: 'POST /orders', path: `${schemaPath}/properties/note` },
    ]);
  });

  it('reports a removed request property as a warning', async () => {
    expect(brief(await diffDocuments(newOrder(orderInput({ note: { type: 'string' } })), newOrder(orderInput({}))))).toEqual([
      { id: 'request-property-removed', level: 'warning', operation: 'POST /orders', path: `${schemaPath}/properties/note` },
    ]);
  });

  it('reports a request property type change as breaking unless it widens', async () => {
    const quantity = (schema: JsonObject) => newOrder(orderInput({ quantity: schema }));
    expect(brief(await diffDocuments(quantity({ type: 'integer' }), quantity({ type: 'string' })))).toEqual([
      { id: 'request-property-type-changed', level: 'error', operation: 'POST /orders', path: `${schemaPath}/properties/quantity/type` },
    ]);
    expect(brief(await diffDocuments(quantity({ type: 'integer' }), quantity({ type: 'number' })))).toEqual([
      { id: 'request-property-type-generalized', level: 'info', operation: 'POST /orders', path: `${schemaPath}/properties/quantity/type` },
    ]);
  });

  it('reports a narrowed enum of a nested request property as breaking', async () => {
    const shipping = (modes: string[]) => newOrder(orderInput({ shipping: { type: 'object', properties: { mode: { type: 'string', enum: modes } } } }));
    const changes = await diffDocuments(shipping(['ground', 'air', 'sea']), shipping(['ground', 'sea']));
    expect(brief(changes)).toEqual([
      { id: 'request-property-enum-value-removed', level: 'error', operation: 'POST /orders', path: `${schemaPath}/properties/shipping/properties/mode/enum/1` },
    ]);
    expect(changes[0].message).toBe('removed the enum value "air" from the request property "shipping/mode"');
  });

  it('follows $ref and allOf to the component where the change is written', async () => {
    const components = (required: string[]) => ({
      schemas: {
        Base: { type: 'object', properties: { sku: { type: 'string' } } },
        Line: {
          allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', ...(required.length > 0 ? { required } : {}), properties: { quantity: { type: 'integer' } } }],
        },
      },
    });
    const body = { type: 'array', items: { $ref: '#/components/schemas/Line' } };
    const changes = await diffDocuments(newOrder(body, {}, components([])), newOrder(body, {}, components(['sku'])));
    expect(brief(changes)).toEqual([
      { id: 'request-property-became-required', level: 'error', operation: 'POST /orders', path: '/components/schemas/Line/allOf/1/required/0' },
    ]);
    expect(changes[0].message).toBe('the request property "items/sku" became required in the request body (application/json)');
  });

  it('reports a media type the request body no longer accepts', async () => {
    const both = newOrder(orderInput({}));
    const content = ((both.paths as JsonObject)['/orders'] as { post: { requestBody: { content: JsonObject } } }).post.requestBody.content;
    content['application/x-www-form-urlencoded'] = { schema: orderInput({}) };
    expect(brief(await diffDocuments(both, newOrder(orderInput({}))))).toEqual([
      { id: 'request-body-media-type-removed', level: 'error', operation: 'POST /orders', path: '/paths/~1orders/post/requestBody/content/application~1x-www-form-urlencoded' },
    ]);
  });
});
