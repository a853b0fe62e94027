import type { JsonObject } from '../../document/json-node';
import type { MultiChangePair } from './corpus-case';
import {
  componentSchema,
  deprecate,
  listAt,
  operation,
  parameter,
  parametersOf,
  pathItem,
  paths,
  property,
  renamePath,
  requiredOf,
  responses,
  shop,
  shop31,
} from './shop-document';

const addProperty = (doc: JsonObject, schema: string, name: string, declared: JsonObject, required = false) => {
  (componentSchema(doc, schema).properties as JsonObject)[name] = declared;
  if (required) requiredOf(doc, schema).push(name);
};

/** Realistic shop v1 → v2 releases, several changes at once: the exact set of rule ids each reports. */
export const MULTI_CHANGE_PAIRS: MultiChangePair[] = [
  {
    description: 'v2 checkout goes multi-currency: orders need a currency, totals become decimal strings, duplicates answer 409',
    from: shop(),
    to: shop((doc) => {
      addProperty(doc, 'OrderInput', 'currency', { type: 'string', enum: ['EUR', 'USD'] }, true);
      addProperty(doc, 'Order', 'currency', { type: 'string' }, true);
      Object.assign(property(doc, 'Order', 'total'), { type: 'string', pattern: '^\\d+\\.\\d{2}$' });
      responses(doc, '/orders', 'post')['409'] = { description: 'duplicate order' };
    }),
    expect: {
      rules: ['new-required-request-property', 'response-required-property-added', 'response-property-type-changed', 'response-non-success-status-added'],
      breaking: true,
    },
  },
  {
    description: 'v2 catalogue: cursor pagination replaces limit, a new category, stock may be unknown',
    from: shop(),
    to: shop((doc) => {
      const listed = parametersOf(doc, '/products', 'get');
      listed.splice(0, 1);
      listed.push({ name: 'cursor', in: 'query', schema: { type: 'string' } });
      ((parameter(doc, '/products', 'get', 'category').schema as JsonObject).enum as string[]).push('toys');
      property(doc, 'Product', 'stock').nullable = true;
    }),
    expect: {
      rules: ['request-parameter-removed', 'new-optional-request-parameter', 'request-parameter-enum-value-added', 'response-property-became-nullable'],
      breaking: true,
    },
  },
  {
    description: 'v2 clean-up that honours its deprecations: only non-breaking changes',
    from: shop((doc) => {
      deprecate(operation(doc, '/products/{productId}', 'get'));
      deprecate(parameter(doc, '/products', 'get', 'limit'), '2026-01-01');
    }),
    to: shop((doc) => {
      delete paths(doc)['/products/{productId}'];
      parametersOf(doc, '/products', 'get').splice(0, 1);
      pathItem(doc, '/orders').get = {
        responses: { '200': { description: 'the orders', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } } } } } },
      };
      listAt(doc, 'security').push({ bearer: [] });
      property(doc, 'OrderInput', 'quantity').type = 'number';
    }),
    expect: {
      rules: ['api-path-removed-with-deprecation', 'endpoint-added', 'api-global-security-added', 'request-property-type-generalized'],
      breaking: false,
    },
  },
  {
    description: 'v2 in OpenAPI 3.1 renames {orderId} to {id} and tightens orders: a delete reason, nullable notes, a refunded status, an admin scope',
    from: shop31(),
    to: shop31((doc) => {
      renamePath(doc, '/orders/{orderId}', '/orders/{id}', { from: 'orderId', to: 'id' });
      parametersOf(doc, '/orders/{id}', 'delete').push({ name: 'reason', in: 'query', required: true, schema: { type: 'string' } });
      property(doc, 'Order', 'note').type = ['string', 'null'];
      (property(doc, 'Order', 'status').enum as string[]).push('refunded');
      (operation(doc, '/orders', 'post').security as Array<Record<string, string[]>>)[0].oauth.push('orders:admin');
    }),
    expect: {
      rules: ['new-required-request-parameter', 'response-property-became-nullable', 'response-property-enum-value-added', 'api-security-scope-added'],
      breaking: true,
    },
  },
  {
    description: 'v2 order workflow: cancelling answers 200 with the order, status writes cannot cancel, DELETE is gone',
    from: shop(),
    to: shop((doc) => {
      const cancel = responses(doc, '/orders/{orderId}/cancel', 'post');
      delete cancel['202'];
      cancel['200'] = { description: 'cancelled', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } };
      const statusBody = operation(doc, '/orders/{orderId}/status', 'put').requestBody as { content: Record<string, { schema: { enum: string[] } }> };
      statusBody.content['application/json'].schema.enum.pop();
      delete pathItem(doc, '/orders/{orderId}').delete;
    }),
    expect: {
      rules: ['response-success-status-removed', 'response-success-status-added', 'request-body-enum-value-removed', 'api-removed-without-deprecation'],
      breaking: true,
    },
  },
  {
    description: 'v2 from a framework upgrade: summaries, descriptions, key order and a path parameter name change, nothing clients can notice',
    from: shop(),
    to: shop((doc) => {
      operation(doc, '/products', 'get').summary = 'List products';
      (responses(doc, '/products', 'get')['400'] as JsonObject).description = 'The query could not be read';
      componentSchema(doc, 'Product').description = 'A product in the catalogue';
      renamePath(doc, '/products/{productId}', '/products/{sku}', { from: 'productId', to: 'sku' });
      const schema = componentSchema(doc, 'Order');
      const reordered = { properties: schema.properties, required: schema.required, type: schema.type };
      for (const key of Object.keys(schema)) delete schema[key];
      Object.assign(schema, reordered);
    }),
    expect: { rules: [], breaking: false },
  },
];
