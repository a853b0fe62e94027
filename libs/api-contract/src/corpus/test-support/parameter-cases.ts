import type { JsonObject } from '../../document/json-node';
import { negative, positive, type CorpusCase } from './corpus-case';
import { deprecate, operation, parameter, parametersOf, shop, shop31 } from './shop-document';

const PRODUCTS = '/paths/~1products';
const STOCK = '/paths/~1products~1{productId}~1stock';
const ORDER = '/paths/~1orders~1{orderId}';

type Edit = (doc: JsonObject) => void;

/** `GET /products`'s query parameter `limit` (index 0) and `category` (index 1, an enum). */
const limit = (doc: JsonObject) => parameter(doc, '/products', 'get', 'limit');
const limitSchema = (doc: JsonObject) => limit(doc).schema as JsonObject;
const categorySchema = (doc: JsonObject) => parameter(doc, '/products', 'get', 'category').schema as JsonObject;

const addToListProducts = (declared: JsonObject): Edit => (doc) => parametersOf(doc, '/products', 'get').push(declared);
const addToStockPath = (declared: JsonObject): Edit => (doc) => parametersOf(doc, '/products/{productId}/stock').push(declared);
const withoutLimit: Edit = (doc) => parametersOf(doc, '/products', 'get').splice(0, 1);
const deprecatedLimit = (sunset?: string) => shop((doc) => deprecate(limit(doc), sunset));
const limitType = (schema: JsonObject, dialect: typeof shop = shop) => dialect((doc) => Object.assign(limitSchema(doc), schema));

const currency = (required: boolean): JsonObject => ({ name: 'currency', in: 'query', ...(required ? { required: true } : {}), schema: { type: 'string' } });
const warehouse = (required: boolean): JsonObject => ({ name: 'X-Warehouse', in: 'header', ...(required ? { required: true } : {}), schema: { type: 'string' } });

export const PARAMETER_CASES: CorpusCase[] = [
  positive(
    'new-required-request-parameter',
    'GET /products gains a required query parameter "currency"',
    { to: shop(addToListProducts(currency(true))) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/2` },
  ),
  negative('new-required-request-parameter', 'GET /products gains an optional query parameter "currency"', { to: shop(addToListProducts(currency(false))) }, [
    'new-optional-request-parameter',
  ]),

  positive(
    'new-optional-request-parameter',
    'GET /products gains an optional header parameter "X-Request-Id"',
    { to: shop(addToListProducts({ name: 'X-Request-Id', in: 'header', schema: { type: 'string' } })) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/2` },
  ),
  negative(
    'new-optional-request-parameter',
    'the path item /products/{productId}/stock gains an optional header "X-Warehouse" shared by its operations',
    { to: shop(addToStockPath(warehouse(false))) },
    ['new-optional-request-default-parameter-to-existing-path'],
  ),

  positive(
    'new-request-path-parameter',
    'DELETE /orders/{orderId} now declares the {orderId} path parameter its v1 document left out',
    { from: shop((doc) => (operation(doc, '/orders/{orderId}', 'delete').parameters = [])), to: shop() },
    { operation: 'DELETE /orders/{orderId}', path: `${ORDER}/delete/parameters/0` },
  ),
  negative(
    'new-request-path-parameter',
    'GET /products/{productId}/stock re-declares the {productId} path parameter its path item already declares',
    { to: shop((doc) => parametersOf(doc, '/products/{productId}/stock', 'get').push({ name: 'productId', in: 'path', required: true, schema: { type: 'string' } })) },
    [],
  ),

  positive(
    'new-required-request-default-parameter-to-existing-path',
    'the path item /products/{productId}/stock gains a required header "X-Warehouse" shared by GET and PUT',
    { to: shop(addToStockPath(warehouse(true))) },
    { operation: 'PUT /products/{productId}/stock', path: `${STOCK}/parameters/1` },
  ),
  negative(
    'new-required-request-default-parameter-to-existing-path',
    'only GET /products/{productId}/stock gains the required header "X-Warehouse"',
    { to: shop((doc) => parametersOf(doc, '/products/{productId}/stock', 'get').push(warehouse(true))) },
    ['new-required-request-parameter'],
  ),

  positive(
    'new-optional-request-default-parameter-to-existing-path',
    'the path item /products/{productId}/stock gains an optional header "X-Warehouse" shared by GET and PUT',
    { to: shop(addToStockPath(warehouse(false))) },
    { operation: 'GET /products/{productId}/stock', path: `${STOCK}/parameters/1` },
  ),
  negative(
    'new-optional-request-default-parameter-to-existing-path',
    'the path item /products/{productId}/stock gains a required (not optional) header "X-Warehouse"',
    { to: shop(addToStockPath(warehouse(true))) },
    ['new-required-request-default-parameter-to-existing-path'],
  ),

  positive('request-parameter-removed', 'GET /products drops the query parameter "limit"', { to: shop(withoutLimit) }, {
    operation: 'GET /products',
    path: `${PRODUCTS}/get/parameters/0`,
  }),
  negative('request-parameter-removed', 'GET /products drops "limit" after deprecating it', { from: deprecatedLimit(), to: shop(withoutLimit) }, [
    'request-parameter-removed-with-deprecation',
  ]),
  negative(
    'request-parameter-removed',
    'the header "X-Request-Id" of GET /products is re-cased to "x-request-id" (header names are case-insensitive)',
    {
      from: shop(addToListProducts({ name: 'X-Request-Id', in: 'header', schema: { type: 'string' } })),
      to: shop(addToListProducts({ name: 'x-request-id', in: 'header', schema: { type: 'string' } })),
    },
    [],
  ),

  positive(
    'request-parameter-removed-with-deprecation',
    'GET /products drops "limit" after deprecating it (no x-sunset)',
    { from: deprecatedLimit(), to: shop(withoutLimit) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/0` },
  ),
  negative(
    'request-parameter-removed-with-deprecation',
    'GET /products drops the deprecated "limit" before its x-sunset 2099-12-31',
    { from: deprecatedLimit('2099-12-31'), to: shop(withoutLimit) },
    ['request-parameter-removed-before-sunset'],
  ),

  positive(
    'request-parameter-removed-before-sunset',
    'GET /products drops the deprecated "limit" before its x-sunset 2099-12-31',
    { from: deprecatedLimit('2099-12-31'), to: shop(withoutLimit) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/0` },
  ),
  negative(
    'request-parameter-removed-before-sunset',
    'GET /products drops the deprecated "limit" after its x-sunset 2025-12-31',
    { from: deprecatedLimit('2025-12-31'), to: shop(withoutLimit) },
    [],
  ),

  positive(
    'request-parameter-sunset-parse',
    'GET /products drops the deprecated "limit" whose x-sunset is "Q3"',
    { from: deprecatedLimit('Q3'), to: shop(withoutLimit) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/0` },
  ),
  negative(
    'request-parameter-sunset-parse',
    'GET /products drops the deprecated "limit" whose x-sunset is an RFC 3339 time, 2099-01-01T00:00:00Z',
    { from: deprecatedLimit('2099-01-01T00:00:00Z'), to: shop(withoutLimit) },
    ['request-parameter-removed-before-sunset'],
  ),

  positive(
    'request-parameter-became-required',
    'the optional query parameter "limit" of GET /products becomes required',
    { to: shop((doc) => (limit(doc).required = true)) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/0/required` },
  ),
  positive(
    'request-parameter-became-required',
    'the optional header "X-Request-Id" of GET /products is re-cased to "x-request-id" and made required',
    {
      from: shop(addToListProducts({ name: 'X-Request-Id', in: 'header', schema: { type: 'string' } })),
      to: shop(addToListProducts({ name: 'x-request-id', in: 'header', required: true, schema: { type: 'string' } })),
    },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/2/required` },
  ),
  negative(
    'request-parameter-became-required',
    'the optional query parameter "limit" is replaced by a required header of the same name',
    { to: shop((doc) => Object.assign(limit(doc), { in: 'header', required: true })) },
    ['new-required-request-parameter', 'request-parameter-removed'],
  ),

  positive(
    'request-parameter-became-optional',
    'the required query parameter "limit" of GET /products becomes optional',
    { from: shop((doc) => (limit(doc).required = true)), to: shop() },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/0` },
  ),
  negative(
    'request-parameter-became-optional',
    'the required query parameter "limit" of GET /products is removed',
    { from: shop((doc) => (limit(doc).required = true)), to: shop(withoutLimit) },
    ['request-parameter-removed'],
  ),

  positive('request-parameter-type-changed', '"limit" changes from integer to string', { to: limitType({ type: 'string' }) }, {
    operation: 'GET /products',
    path: `${PRODUCTS}/get/parameters/0/schema/type`,
  }),
  positive(
    'request-parameter-type-changed',
    'GET /products/{productId}/stock re-declares its path item\'s {productId} on the operation, as an integer',
    { to: shop((doc) => parametersOf(doc, '/products/{productId}/stock', 'get').push({ name: 'productId', in: 'path', required: true, schema: { type: 'integer' } })) },
    { operation: 'GET /products/{productId}/stock', path: `${STOCK}/get/parameters/0/schema/type` },
  ),
  negative('request-parameter-type-changed', '"limit" widens from integer to number', { to: limitType({ type: 'number' }) }, ['request-parameter-type-generalized']),

  positive('request-parameter-type-generalized', '"limit" widens from integer to number', { to: limitType({ type: 'number' }) }, {
    operation: 'GET /products',
    path: `${PRODUCTS}/get/parameters/0/schema/type`,
  }),
  positive(
    'request-parameter-type-generalized',
    '"limit" drops its int32 format',
    { from: limitType({ format: 'int32' }), to: shop() },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/0/schema/type` },
  ),
  negative('request-parameter-type-generalized', '"limit" gains the format int32 (narrower)', { to: limitType({ format: 'int32' }) }, ['request-parameter-type-changed']),

  positive('request-parameter-became-nullable', '"limit" becomes nullable (3.0 `nullable: true`)', { to: limitType({ nullable: true }) }, {
    operation: 'GET /products',
    path: `${PRODUCTS}/get/parameters/0/schema/nullable`,
  }),
  positive(
    'request-parameter-became-nullable',
    '"limit" becomes nullable (3.1 `type: [integer, "null"]`)',
    { from: shop31(), to: limitType({ type: ['integer', 'null'] }, shop31) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/0/schema/type` },
  ),
  negative('request-parameter-became-nullable', '"limit" spells out `nullable: false`', { to: limitType({ nullable: false }) }, []),

  positive(
    'request-parameter-became-not-nullable',
    'the nullable "limit" stops accepting null',
    { from: limitType({ nullable: true }), to: shop() },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/0/schema/type` },
  ),
  negative(
    'request-parameter-became-not-nullable',
    'the nullable "limit" (3.1) widens from integer to number and stays nullable',
    { from: limitType({ type: ['integer', 'null'] }, shop31), to: limitType({ type: ['number', 'null'] }, shop31) },
    ['request-parameter-type-generalized'],
  ),

  positive(
    'request-parameter-became-enum',
    '"category" (a free string) is restricted to books, games, music',
    { from: shop((doc) => delete categorySchema(doc).enum), to: shop() },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/1/schema/enum` },
  ),
  negative('request-parameter-became-enum', '"category" (already an enum) gains the value "toys"', { to: shop((doc) => (categorySchema(doc).enum as string[]).push('toys')) }, [
    'request-parameter-enum-value-added',
  ]),

  positive(
    'request-parameter-enum-value-removed',
    '"category" loses the value "music"',
    { to: shop((doc) => (categorySchema(doc).enum as string[]).pop()) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/1/schema/enum/2` },
  ),
  negative('request-parameter-enum-value-removed', '"category" gains the value "toys"', { to: shop((doc) => (categorySchema(doc).enum as string[]).push('toys')) }, [
    'request-parameter-enum-value-added',
  ]),

  positive(
    'request-parameter-enum-value-added',
    '"category" gains the value "toys"',
    { to: shop((doc) => (categorySchema(doc).enum as string[]).push('toys')) },
    { operation: 'GET /products', path: `${PRODUCTS}/get/parameters/1/schema/enum/3` },
  ),
  negative('request-parameter-enum-value-added', '"category" lists the same values in another order', { to: shop((doc) => (categorySchema(doc).enum = ['music', 'books', 'games'])) }, []),
];
