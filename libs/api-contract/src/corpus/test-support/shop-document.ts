import { isJsonObject, type JsonObject } from '../../document/json-node';

/**
 * The base document every corpus case starts from: a small shop API, written once, so that a case
 * reads as "the shop, plus this change". Schemas sit in `components` behind `$ref`s, as generated
 * documents have them, so the expected JSON pointers go where the change is written.
 *
 * - `GET /products`: query `limit` (integer) and `category` (enum); 200 array of Product, 400.
 * - `GET /products/{productId}`: 200 Product, 404.
 * - `/products/{productId}/stock`: the path parameter is declared on the path item;
 *   GET answers a bare integer, PUT takes a bare integer as its (required) body.
 * - `POST /orders`: required body OrderInput; 201 Order, 422; its own `security` alternatives.
 * - `GET` and `DELETE /orders/{orderId}`: 200 Order, 404; 204.
 * - `/orders/{orderId}/status`: GET answers a bare string enum, PUT takes one as its body.
 * - `POST /orders/{orderId}/cancel`: no body; 202, 409.
 * - Document-wide `security`: an API key, or OAuth with the `shop:read` scope.
 */
export type OpenApiDialect = '3.0' | '3.1';

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject): JsonObject => ({ content: { 'application/json': { schema } } });
const pathParameter = (name: string): JsonObject => ({ name, in: 'path', required: true, schema: { type: 'string' } });

function baseShop(dialect: OpenApiDialect): JsonObject {
  return {
    openapi: dialect === '3.0' ? '3.0.3' : '3.1.0',
    info: { title: 'shop', version: '1.0.0' },
    security: [{ apiKey: [] }, { oauth: ['shop:read'] }],
    paths: {
      '/products': {
        get: {
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
            { name: 'category', in: 'query', schema: { type: 'string', enum: ['books', 'games', 'music'] } },
          ],
          responses: { '200': { description: 'the products', ...json({ type: 'array', items: ref('Product') }) }, '400': { description: 'bad query' } },
        },
      },
      '/products/{productId}': {
        get: {
          parameters: [pathParameter('productId')],
          responses: { '200': { description: 'the product', ...json(ref('Product')) }, '404': { description: 'no such product' } },
        },
      },
      '/products/{productId}/stock': {
        parameters: [pathParameter('productId')],
        get: { responses: { '200': { description: 'units in stock', ...json({ type: 'integer' }) } } },
        put: { requestBody: { required: true, ...json({ type: 'integer' }) }, responses: { '204': { description: 'stock set' } } },
      },
      '/orders': {
        post: {
          security: [{ oauth: ['orders:write'] }, { apiKey: [] }],
          requestBody: { required: true, ...json(ref('OrderInput')) },
          responses: { '201': { description: 'the order', ...json(ref('Order')) }, '422': { description: 'invalid order' } },
        },
      },
      '/orders/{orderId}': {
        get: {
          parameters: [pathParameter('orderId')],
          responses: { '200': { description: 'the order', ...json(ref('Order')) }, '404': { description: 'no such order' } },
        },
        delete: { parameters: [pathParameter('orderId')], responses: { '204': { description: 'deleted' } } },
      },
      '/orders/{orderId}/status': {
        get: {
          parameters: [pathParameter('orderId')],
          responses: { '200': { description: 'the status', ...json({ type: 'string', enum: ['pending', 'paid', 'shipped', 'cancelled'] }) } },
        },
        put: {
          parameters: [pathParameter('orderId')],
          requestBody: { required: true, ...json({ type: 'string', enum: ['paid', 'shipped', 'cancelled'] }) },
          responses: { '204': { description: 'status set' } },
        },
      },
      '/orders/{orderId}/cancel': {
        post: { parameters: [pathParameter('orderId')], responses: { '202': { description: 'cancelling' }, '409': { description: 'already shipped' } } },
      },
    },
    components: {
      schemas: {
        Product: {
          type: 'object',
          required: ['id', 'name', 'price'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            price: { type: 'number' },
            stock: { type: 'integer' },
          },
        },
        OrderInput: {
          type: 'object',
          required: ['productId', 'quantity'],
          properties: {
            productId: { type: 'string' },
            quantity: { type: 'integer' },
            note: { type: 'string' },
            shipping: { type: 'string', enum: ['standard', 'express'] },
            reference: { type: 'string', readOnly: true },
          },
        },
        Order: {
          type: 'object',
          required: ['id', 'status', 'total'],
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: ['pending', 'paid', 'shipped'] },
            total: { type: 'number' },
            note: { type: 'string' },
          },
        },
      },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        bearer: { type: 'http', scheme: 'bearer' },
        oauth: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: 'https://auth.example.com/token',
              scopes: { 'shop:read': 'browse', 'orders:read': 'read orders', 'orders:write': 'place orders', 'orders:admin': 'manage orders' },
            },
          },
        },
      },
    },
  };
}

/** A fresh copy of the shop, with `change` applied: "base + this change". */
export function shop(change: (document: JsonObject) => void = () => undefined, dialect: OpenApiDialect = '3.0'): JsonObject {
  const document = baseShop(dialect);
  change(document);
  return document;
}

/** The same, written in OpenAPI 3.1. */
export function shop31(change: (document: JsonObject) => void = () => undefined): JsonObject {
  return shop(change, '3.1');
}

/** The object at `keys` below `node`; throws when a case names something the shop does not have. */
export function at(node: JsonObject, ...keys: string[]): JsonObject {
  let current: unknown = node;
  for (const key of keys) {
    current = isJsonObject(current) ? current[key] : undefined;
    if (!isJsonObject(current)) throw new Error(`the shop document has no object at ${keys.join(' > ')}`);
  }
  return current as JsonObject;
}

/** The list at `keys` below `node`; throws likewise. */
export function listAt(node: JsonObject, ...keys: string[]): unknown[] {
  const parent = at(node, ...keys.slice(0, -1));
  const list = parent[keys[keys.length - 1]];
  if (!Array.isArray(list)) throw new Error(`the shop document has no list at ${keys.join(' > ')}`);
  return list;
}

export function paths(document: JsonObject): JsonObject {
  return at(document, 'paths');
}

export function pathItem(document: JsonObject, template: string): JsonObject {
  return at(document, 'paths', template);
}

export function operation(document: JsonObject, template: string, method: string): JsonObject {
  return at(document, 'paths', template, method);
}

/** The parameters declared on an operation (or, without a method, on the path item). */
export function parametersOf(document: JsonObject, template: string, method?: string): JsonObject[] {
  const owner = method === undefined ? pathItem(document, template) : operation(document, template, method);
  owner.parameters ??= [];
  return owner.parameters as JsonObject[];
}

export function parameter(document: JsonObject, template: string, method: string, name: string): JsonObject {
  const found = parametersOf(document, template, method).find((declared) => declared.name === name);
  if (!found) throw new Error(`${method.toUpperCase()} ${template} has no parameter ${name}`);
  return found;
}

export function componentSchema(document: JsonObject, name: string): JsonObject {
  return at(document, 'components', 'schemas', name);
}

export function property(document: JsonObject, schema: string, name: string): JsonObject {
  return at(componentSchema(document, schema), 'properties', name);
}

export function requiredOf(document: JsonObject, schema: string): string[] {
  return listAt(componentSchema(document, schema), 'required') as string[];
}

/** The `content` map of an operation's request body. */
export function requestContent(document: JsonObject, template: string, method: string): JsonObject {
  return at(operation(document, template, method), 'requestBody', 'content');
}

export function responses(document: JsonObject, template: string, method: string): JsonObject {
  return at(operation(document, template, method), 'responses');
}

/** The `content` map of one response. */
export function responseContent(document: JsonObject, template: string, method: string, status: string): JsonObject {
  return at(responses(document, template, method), status, 'content');
}

/** The JSON schema of a response or request body media type. */
export function mediaSchema(content: JsonObject, mediaType = 'application/json'): JsonObject {
  return at(content, mediaType, 'schema');
}

/** Marks an operation or a parameter deprecated, with an optional `x-sunset`. */
export function deprecate(declaration: JsonObject, sunset?: string): void {
  declaration.deprecated = true;
  if (sunset !== undefined) declaration['x-sunset'] = sunset;
}

/** Renames a path template key, keeping the path item (and renaming a path parameter with it). */
export function renamePath(document: JsonObject, from: string, to: string, parameterRename?: { from: string; to: string }): void {
  const all = paths(document);
  const item = all[from];
  delete all[from];
  all[to] = item;
  if (!parameterRename || !isJsonObject(item)) return;
  const owners = [item, ...Object.values(item).filter(isJsonObject)];
  for (const owner of owners) {
    for (const declared of (Array.isArray(owner.parameters) ? owner.parameters : []).filter(isJsonObject)) {
      if (declared.in === 'path' && declared.name === parameterRename.from) declared.name = parameterRename.to;
    }
  }
}
