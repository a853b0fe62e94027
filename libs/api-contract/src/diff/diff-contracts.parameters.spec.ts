import type { JsonObject } from '../document/json-node';
import { brief, diffDocuments, jsonResponse, openApi30, openApi31 } from '../test-support/openapi-documents';

const ok = { '200': jsonResponse({ type: 'array', items: { type: 'string' } }) };

function listOrders(parameters: JsonObject[], extra: JsonObject = {}, make = openApi30) {
  return make({ '/orders': { get: { parameters, responses: ok }, ...extra } }, { components: { parameters: { Tenant: { name: 'tenant', in: 'header', schema: { type: 'string' } } } } });
}

const limit = (schema: JsonObject = { type: 'integer' }, more: JsonObject = {}) => ({ name: 'limit', in: 'query', schema, ...more });

describe('diffContracts: parameters', () => {
  it('reports a new required parameter as breaking and a new optional one as info', async () => {
    const changes = await diffDocuments(
      listOrders([limit()]),
      listOrders([limit(), { name: 'region', in: 'query', required: true, schema: { type: 'string' } }, { name: 'X-Trace', in: 'header', schema: { type: 'string' } }]),
    );
    expect(brief(changes)).toEqual([
      { id: 'new-required-request-parameter', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/1' },
      { id: 'new-optional-request-parameter', level: 'info', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/2' },
    ]);
    expect(changes[0].message).toBe('added the new required query request parameter "region"');
  });

  it('reports the first parameter of an operation that had none', async () => {
    expect(brief(await diffDocuments(listOrders([]), listOrders([limit(undefined, { required: true })])))).toEqual([
      { id: 'new-required-request-parameter', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0' },
    ]);
  });

  it('reports a required parameter added on the path item once per operation it applies to', async () => {
    const shared = { parameters: [{ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } }], post: { responses: { '201': { description: 'created' } } } };
    const changes = await diffDocuments(listOrders([limit()], { post: shared.post }), listOrders([limit()], shared));
    expect(brief(changes)).toEqual([
      { id: 'new-required-request-default-parameter-to-existing-path', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/parameters/0' },
      { id: 'new-required-request-default-parameter-to-existing-path', level: 'error', operation: 'POST /orders', path: '/paths/~1orders/parameters/0' },
    ]);
  });

  it('reports an optional parameter that became required, and the way back', async () => {
    const optional = listOrders([limit()]);
    const required = listOrders([limit(undefined, { required: true })]);
    expect(brief(await diffDocuments(optional, required))).toEqual([
      { id: 'request-parameter-became-required', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/required' },
    ]);
    expect(brief(await diffDocuments(required, optional))).toEqual([
      { id: 'request-parameter-became-optional', level: 'info', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0' },
    ]);
  });

  it('reports a parameter type change as breaking unless it widens', async () => {
    const changed = await diffDocuments(listOrders([limit()]), listOrders([limit({ type: 'string' })]));
    expect(brief(changed)).toEqual([{ id: 'request-parameter-type-changed', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/schema/type' }]);
    expect(changed[0].message).toBe('the type/format of the query request parameter "limit" changed from integer to string');
    expect(brief(await diffDocuments(listOrders([limit({ type: 'integer', format: 'int32' })]), listOrders([limit({ type: 'number' })])))).toEqual([
      { id: 'request-parameter-type-generalized', level: 'info', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/schema/type' },
    ]);
    expect(brief(await diffDocuments(listOrders([limit({ type: 'string' })]), listOrders([limit({ type: 'string', format: 'uuid' })])))).toEqual([
      { id: 'request-parameter-type-changed', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/schema/format' },
    ]);
  });

  it('reports an enum value removed from a parameter as breaking and one added as info', async () => {
    const status = (values: string[]) => ({ name: 'status', in: 'query', schema: { type: 'string', enum: values } });
    const changes = await diffDocuments(listOrders([status(['open', 'paid', 'void'])]), listOrders([status(['open', 'void', 'refunded'])]));
    expect(brief(changes)).toEqual([
      { id: 'request-parameter-enum-value-removed', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/schema/enum/1' },
      { id: 'request-parameter-enum-value-added', level: 'info', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/schema/enum/2' },
    ]);
    expect(changes[0].message).toBe('removed the enum value "paid" from the query request parameter "status"');
  });

  it('reports a parameter restricted to an enum', async () => {
    expect(brief(await diffDocuments(listOrders([limit({ type: 'string' })]), listOrders([limit({ type: 'string', enum: ['10', '50'] })])))).toEqual([
      { id: 'request-parameter-became-enum', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/schema/enum' },
    ]);
  });

  it('reports a parameter that stopped accepting null, in 3.0 and in 3.1 spelling', async () => {
    expect(brief(await diffDocuments(listOrders([limit({ type: 'integer', nullable: true })]), listOrders([limit()])))).toEqual([
      { id: 'request-parameter-became-not-nullable', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/schema/type' },
    ]);
    expect(brief(await diffDocuments(listOrders([limit()], {}, openApi31), listOrders([limit({ type: ['integer', 'null'] })], {}, openApi31)))).toEqual([
      { id: 'request-parameter-became-nullable', level: 'info', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0/schema/type' },
    ]);
  });

  it('reports a removed parameter as a warning, or as info once it was deprecated', async () => {
    expect(brief(await diffDocuments(listOrders([limit()]), listOrders([])))).toEqual([
      { id: 'request-parameter-removed', level: 'warning', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0' },
    ]);
    expect(brief(await diffDocuments(listOrders([limit(undefined, { deprecated: true })]), listOrders([])))).toEqual([
      { id: 'request-parameter-removed-with-deprecation', level: 'info', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0' },
    ]);
    expect(brief(await diffDocuments(listOrders([limit(undefined, { deprecated: true, 'x-sunset': '2099-12-31' })]), listOrders([])))).toEqual([
      { id: 'request-parameter-removed-before-sunset', level: 'error', operation: 'GET /orders', path: '/paths/~1orders/get/parameters/0' },
    ]);
  });

  it('points a change in a referenced parameter at the component', async () => {
    const from = listOrders([{ $ref: '#/components/parameters/Tenant' }]);
    const to = listOrders([{ $ref: '#/components/parameters/Tenant' }]);
    ((to.components as JsonObject).parameters as Record<string, JsonObject>).Tenant.required = true;
    expect(brief(await diffDocuments(from, to))).toEqual([
      { id: 'request-parameter-became-required', level: 'error', operation: 'GET /orders', path: '/components/parameters/Tenant/required' },
    ]);
  });
});
