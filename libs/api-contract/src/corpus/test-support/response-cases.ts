import type { JsonObject } from '../../document/json-node';
import { negative, positive, type CorpusCase } from './corpus-case';
import { mediaSchema, property, requestContent, responseContent, responses, shop, shop31 } from './shop-document';

const PRODUCTS = '/paths/~1products';
const ORDERS = '/paths/~1orders';
const ORDER = '/paths/~1orders~1{orderId}';
const CANCEL = '/paths/~1orders~1{orderId}~1cancel';
const STOCK_SCHEMA = '/paths/~1products~1{productId}~1stock/get/responses/200/content/application~1json/schema';
const STATUS_SCHEMA = '/paths/~1orders~1{orderId}~1status/get/responses/200/content/application~1json/schema';

type Edit = (doc: JsonObject) => void;

/** `GET /products/{productId}/stock` answers a bare integer; `GET /orders/{orderId}/status` a string enum. */
const stockSchema = (doc: JsonObject) => mediaSchema(responseContent(doc, '/products/{productId}/stock', 'get', '200'));
const stockType = (schema: JsonObject, dialect: typeof shop = shop) => dialect((doc) => Object.assign(stockSchema(doc), schema));
const statusValues = (doc: JsonObject) => mediaSchema(responseContent(doc, '/orders/{orderId}/status', 'get', '200')).enum as string[];

const withStatus = (template: string, method: string, status: string, response: JsonObject = { description: status }): Edit => (doc) =>
  (responses(doc, template, method)[status] = response);
const withoutStatus = (template: string, method: string, status: string): Edit => (doc) => delete responses(doc, template, method)[status];
const orderXml: Edit = (doc) => (responseContent(doc, '/orders/{orderId}', 'get', '200')['application/xml'] = { schema: { $ref: '#/components/schemas/Order' } });
const orderForm: Edit = (doc) => (requestContent(doc, '/orders', 'post')['application/x-www-form-urlencoded'] = { schema: { $ref: '#/components/schemas/OrderInput' } });

export const RESPONSE_CASES: CorpusCase[] = [
  positive('response-success-status-removed', 'GET /products drops its 200 response', { to: shop(withoutStatus('/products', 'get', '200')) }, {
    operation: 'GET /products',
    path: `${PRODUCTS}/get/responses/200`,
  }),
  positive(
    'response-success-status-removed',
    'POST /orders/{orderId}/cancel drops its 2XX range response',
    {
      from: shop((doc) => {
        withoutStatus('/orders/{orderId}/cancel', 'post', '202')(doc);
        withStatus('/orders/{orderId}/cancel', 'post', '2XX')(doc);
      }),
      to: shop(withoutStatus('/orders/{orderId}/cancel', 'post', '202')),
    },
    { operation: 'POST /orders/{orderId}/cancel', path: `${CANCEL}/post/responses/2XX` },
  ),
  negative('response-success-status-removed', 'GET /products drops its 400 response', { to: shop(withoutStatus('/products', 'get', '400')) }, ['response-non-success-status-removed']),

  positive('response-success-status-added', 'DELETE /orders/{orderId} may also answer 202', { to: shop(withStatus('/orders/{orderId}', 'delete', '202')) }, {
    operation: 'DELETE /orders/{orderId}',
    path: `${ORDER}/delete/responses/202`,
  }),
  negative('response-success-status-added', 'DELETE /orders/{orderId} may also answer 409', { to: shop(withStatus('/orders/{orderId}', 'delete', '409')) }, [
    'response-non-success-status-added',
  ]),

  positive('response-non-success-status-removed', 'GET /orders/{orderId} drops its 404 response', { to: shop(withoutStatus('/orders/{orderId}', 'get', '404')) }, {
    operation: 'GET /orders/{orderId}',
    path: `${ORDER}/get/responses/404`,
  }),
  negative(
    'response-non-success-status-removed',
    'POST /orders/{orderId}/cancel drops its 202 response (keeping 409)',
    { to: shop(withoutStatus('/orders/{orderId}/cancel', 'post', '202')) },
    ['response-success-status-removed'],
  ),

  positive('response-non-success-status-added', 'POST /orders may also answer 409', { to: shop(withStatus('/orders', 'post', '409')) }, {
    operation: 'POST /orders',
    path: `${ORDERS}/post/responses/409`,
  }),
  positive('response-non-success-status-added', 'POST /orders gains a `default` response', { to: shop(withStatus('/orders', 'post', 'default')) }, {
    operation: 'POST /orders',
    path: `${ORDERS}/post/responses/default`,
  }),
  negative('response-non-success-status-added', 'POST /orders/{orderId}/cancel may also answer 200', { to: shop(withStatus('/orders/{orderId}/cancel', 'post', '200')) }, [
    'response-success-status-added',
  ]),

  positive('response-media-type-removed', 'the 200 response of GET /orders/{orderId} stops offering XML', { from: shop(orderXml), to: shop() }, {
    operation: 'GET /orders/{orderId}',
    path: `${ORDER}/get/responses/200/content/application~1xml`,
  }),
  negative('response-media-type-removed', 'POST /orders stops accepting form data (a request, not a response)', { from: shop(orderForm), to: shop() }, [
    'request-body-media-type-removed',
  ]),

  positive('response-media-type-added', 'the 200 response of GET /orders/{orderId} also offers XML', { to: shop(orderXml) }, {
    operation: 'GET /orders/{orderId}',
    path: `${ORDER}/get/responses/200/content/application~1xml`,
  }),
  negative('response-media-type-added', 'POST /orders also accepts form data (a request, not a response)', { to: shop(orderForm) }, ['request-body-media-type-added']),

  positive('response-body-type-changed', 'GET /products/{productId}/stock answers a string instead of an integer', { to: stockType({ type: 'string' }) }, {
    operation: 'GET /products/{productId}/stock',
    path: `${STOCK_SCHEMA}/type`,
  }),
  negative('response-body-type-changed', 'GET /products/{productId}/stock widens its answer from integer to number', { to: stockType({ type: 'number' }) }, [
    'response-body-type-generalized',
  ]),

  positive('response-body-type-generalized', 'GET /products/{productId}/stock widens its answer from integer to number', { to: stockType({ type: 'number' }) }, {
    operation: 'GET /products/{productId}/stock',
    path: `${STOCK_SCHEMA}/type`,
  }),
  negative('response-body-type-generalized', 'GET /products/{productId}/stock narrows its answer to the format int64', { to: stockType({ format: 'int64' }) }, [
    'response-body-type-specialized',
  ]),

  positive(
    'response-body-type-specialized',
    'GET /products/{productId}/stock narrows its answer from number to integer',
    { from: stockType({ type: 'number' }), to: shop() },
    { operation: 'GET /products/{productId}/stock', path: `${STOCK_SCHEMA}/type` },
  ),
  negative('response-body-type-specialized', 'GET /products/{productId}/stock answers a string instead of an integer', { to: stockType({ type: 'string' }) }, [
    'response-body-type-changed',
  ]),

  positive('response-body-became-nullable', 'GET /products/{productId}/stock may now answer null', { to: stockType({ nullable: true }) }, {
    operation: 'GET /products/{productId}/stock',
    path: `${STOCK_SCHEMA}/nullable`,
  }),
  positive(
    'response-body-became-nullable',
    'GET /products/{productId}/stock may now answer null (3.1 spelling)',
    { from: shop31(), to: stockType({ type: ['integer', 'null'] }, shop31) },
    { operation: 'GET /products/{productId}/stock', path: `${STOCK_SCHEMA}/type` },
  ),
  negative(
    'response-body-became-nullable',
    'the property "stock" of the response schema Product may now be null (a property, not the body)',
    { to: shop((doc) => (property(doc, 'Product', 'stock').nullable = true)) },
    ['response-property-became-nullable'],
  ),

  positive(
    'response-body-became-not-nullable',
    'GET /products/{productId}/stock no longer answers null',
    { from: stockType({ nullable: true }), to: shop() },
    { operation: 'GET /products/{productId}/stock', path: `${STOCK_SCHEMA}/type` },
  ),
  negative(
    'response-body-became-not-nullable',
    'GET /products/{productId}/stock (3.1) widens its nullable answer from integer to number, still nullable',
    { from: stockType({ type: ['integer', 'null'] }, shop31), to: stockType({ type: ['number', 'null'] }, shop31) },
    ['response-body-type-generalized'],
  ),

  positive('response-mediatype-enum-value-removed', 'GET /orders/{orderId}/status no longer answers "cancelled"', { to: shop((doc) => statusValues(doc).pop()) }, {
    operation: 'GET /orders/{orderId}/status',
    path: `${STATUS_SCHEMA}/enum/3`,
  }),
  negative(
    'response-mediatype-enum-value-removed',
    'the property "status" of the response schema Order loses the value "shipped" (a property, not the body)',
    { to: shop((doc) => (property(doc, 'Order', 'status').enum as string[]).pop()) },
    ['response-property-enum-value-removed'],
  ),
];
