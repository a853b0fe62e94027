import { negative, positive, type CorpusCase } from './corpus-case';
import { deprecate, operation, pathItem, paths, renamePath, shop } from './shop-document';

const PRODUCT = '/paths/~1products~1{productId}';
const ORDER = '/paths/~1orders~1{orderId}';

const withoutProductPath = () => shop((doc) => delete paths(doc)['/products/{productId}']);
const withoutDeleteOrder = () => shop((doc) => delete pathItem(doc, '/orders/{orderId}').delete);

/** `GET /products/{productId}` deprecated in the running contract, optionally with an `x-sunset`. */
const deprecatedProduct = (sunset?: string) => shop((doc) => deprecate(operation(doc, '/products/{productId}', 'get'), sunset));
/** `DELETE /orders/{orderId}` deprecated in the running contract, optionally with an `x-sunset`. */
const deprecatedDelete = (sunset?: string) => shop((doc) => deprecate(operation(doc, '/orders/{orderId}', 'delete'), sunset));

export const ENDPOINT_CASES: CorpusCase[] = [
  positive(
    'endpoint-added',
    'PUT /products/{productId} is added to an existing path',
    {
      to: shop((doc) => {
        pathItem(doc, '/products/{productId}').put = {
          parameters: [{ name: 'productId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Product' } } } },
          responses: { '204': { description: 'replaced' } },
        };
      }),
    },
    { operation: 'PUT /products/{productId}', path: `${PRODUCT}/put` },
  ),
  positive(
    'endpoint-added',
    'a new path GET /carts/{cartId} is added',
    {
      to: shop((doc) => {
        paths(doc)['/carts/{cartId}'] = {
          get: { parameters: [{ name: 'cartId', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'the cart' } } },
        };
      }),
    },
    { operation: 'GET /carts/{cartId}', path: '/paths/~1carts~1{cartId}/get' },
  ),
  negative(
    'endpoint-added',
    'only the path parameter is renamed: /products/{productId} → /products/{id}',
    { to: shop((doc) => renamePath(doc, '/products/{productId}', '/products/{id}', { from: 'productId', to: 'id' })) },
    [],
  ),

  positive(
    'api-path-removed-without-deprecation',
    'the path /products/{productId} is removed while its GET was not deprecated',
    { to: withoutProductPath() },
    { operation: 'GET /products/{productId}', path: `${PRODUCT}/get` },
  ),
  negative(
    'api-path-removed-without-deprecation',
    'the path /products/{productId} is removed after its GET was deprecated',
    { from: deprecatedProduct(), to: withoutProductPath() },
    ['api-path-removed-with-deprecation'],
  ),
  negative(
    'api-path-removed-without-deprecation',
    'only the path parameter of /orders/{orderId} (GET and DELETE) is renamed to {id}',
    { to: shop((doc) => renamePath(doc, '/orders/{orderId}', '/orders/{id}', { from: 'orderId', to: 'id' })) },
    [],
  ),

  positive(
    'api-path-removed-with-deprecation',
    'the path /products/{productId} is removed after its GET was deprecated (no x-sunset)',
    { from: deprecatedProduct(), to: withoutProductPath() },
    { operation: 'GET /products/{productId}', path: `${PRODUCT}/get` },
  ),
  negative(
    'api-path-removed-with-deprecation',
    'a deprecated DELETE /orders/{orderId} is removed but its path stays (GET remains)',
    { from: deprecatedDelete(), to: withoutDeleteOrder() },
    ['api-removed-with-deprecation'],
  ),

  positive(
    'api-path-removed-before-sunset',
    'the path /products/{productId} is removed while its deprecated GET has x-sunset 2099-12-31',
    { from: deprecatedProduct('2099-12-31'), to: withoutProductPath() },
    { operation: 'GET /products/{productId}', path: `${PRODUCT}/get` },
  ),
  negative(
    'api-path-removed-before-sunset',
    'the path /products/{productId} is removed after the x-sunset 2026-02-28 of its deprecated GET',
    { from: deprecatedProduct('2026-02-28'), to: withoutProductPath() },
    [],
  ),

  positive(
    'api-path-sunset-parse',
    'the path /products/{productId} is removed and its deprecated GET has x-sunset "after the summer sale"',
    { from: deprecatedProduct('after the summer sale'), to: withoutProductPath() },
    { operation: 'GET /products/{productId}', path: `${PRODUCT}/get` },
  ),
  positive(
    'api-path-sunset-parse',
    'a deprecated DELETE /orders/{orderId} with x-sunset 2026-02-30 (no such day) is removed, its path stays',
    { from: deprecatedDelete('2026-02-30'), to: withoutDeleteOrder() },
    { operation: 'DELETE /orders/{orderId}', path: `${ORDER}/delete` },
  ),
  negative(
    'api-path-sunset-parse',
    'the path /products/{productId} is removed and its deprecated GET has an RFC 3339 x-sunset with an offset',
    { from: deprecatedProduct('2099-12-31T23:59:59+01:00'), to: withoutProductPath() },
    ['api-path-removed-before-sunset'],
  ),

  positive(
    'api-removed-without-deprecation',
    'DELETE /orders/{orderId} is removed while GET /orders/{orderId} stays',
    { to: withoutDeleteOrder() },
    { operation: 'DELETE /orders/{orderId}', path: `${ORDER}/delete` },
  ),
  negative(
    'api-removed-without-deprecation',
    'the whole path /orders/{orderId} is removed (both operations go with it)',
    { to: shop((doc) => delete paths(doc)['/orders/{orderId}']) },
    ['api-path-removed-without-deprecation'],
  ),

  positive(
    'api-removed-with-deprecation',
    'a deprecated DELETE /orders/{orderId} (no x-sunset) is removed while GET stays',
    { from: deprecatedDelete(), to: withoutDeleteOrder() },
    { operation: 'DELETE /orders/{orderId}', path: `${ORDER}/delete` },
  ),
  negative(
    'api-removed-with-deprecation',
    'a deprecated DELETE /orders/{orderId} is removed after its x-sunset 2026-01-31',
    { from: deprecatedDelete('2026-01-31'), to: withoutDeleteOrder() },
    [],
  ),

  positive(
    'api-removed-before-sunset',
    'a deprecated DELETE /orders/{orderId} is removed the day before its x-sunset 2026-03-02',
    { from: deprecatedDelete('2026-03-02'), to: withoutDeleteOrder() },
    { operation: 'DELETE /orders/{orderId}', path: `${ORDER}/delete` },
  ),
  negative(
    'api-removed-before-sunset',
    'a deprecated DELETE /orders/{orderId} is removed on its x-sunset day 2026-03-01',
    { from: deprecatedDelete('2026-03-01'), to: withoutDeleteOrder() },
    [],
  ),
];

