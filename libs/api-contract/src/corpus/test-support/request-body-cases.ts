import type { JsonObject } from '../../document/json-node';
import { negative, positive, type CorpusCase } from './corpus-case';
import { mediaSchema, operation, property, requestContent, responseContent, responses, shop, shop31 } from './shop-document';

const ORDERS = '/paths/~1orders';
const CANCEL = '/paths/~1orders~1{orderId}~1cancel';
const STOCK_BODY = '/paths/~1products~1{productId}~1stock/put/requestBody';
const STATUS_BODY = '/paths/~1orders~1{orderId}~1status/put/requestBody';
const FORM = 'application/x-www-form-urlencoded';

type Edit = (doc: JsonObject) => void;

/** `PUT /products/{productId}/stock` takes a bare integer; `PUT /orders/{orderId}/status` a string enum. */
const stockBody = (doc: JsonObject) => operation(doc, '/products/{productId}/stock', 'put').requestBody as JsonObject;
const stockSchema = (doc: JsonObject) => mediaSchema(requestContent(doc, '/products/{productId}/stock', 'put'));
const statusSchema = (doc: JsonObject) => mediaSchema(requestContent(doc, '/orders/{orderId}/status', 'put'));
const stockType = (schema: JsonObject, dialect: typeof shop = shop) => dialect((doc) => Object.assign(stockSchema(doc), schema));

const cancelReason = (required: boolean): Edit => (doc) => {
  operation(doc, '/orders/{orderId}/cancel', 'post').requestBody = {
    ...(required ? { required: true } : {}),
    content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string' } } } } },
  };
};
const orderForm: Edit = (doc) => (requestContent(doc, '/orders', 'post')[FORM] = { schema: { $ref: '#/components/schemas/OrderInput' } });
const orderXml: Edit = (doc) => (responseContent(doc, '/orders/{orderId}', 'get', '200')['application/xml'] = { schema: { $ref: '#/components/schemas/Order' } });

export const REQUEST_BODY_CASES: CorpusCase[] = [
  positive('request-body-added-required', 'POST /orders/{orderId}/cancel (no body) now requires a JSON body', { to: shop(cancelReason(true)) }, {
    operation: 'POST /orders/{orderId}/cancel',
    path: `${CANCEL}/post/requestBody`,
  }),
  negative('request-body-added-required', 'POST /orders/{orderId}/cancel gains an optional JSON body', { to: shop(cancelReason(false)) }, ['request-body-added-optional']),

  positive('request-body-added-optional', 'POST /orders/{orderId}/cancel gains an optional JSON body', { to: shop(cancelReason(false)) }, {
    operation: 'POST /orders/{orderId}/cancel',
    path: `${CANCEL}/post/requestBody`,
  }),
  negative(
    'request-body-added-optional',
    'the 202 response of POST /orders/{orderId}/cancel gains a JSON body (a body, but not a request body)',
    { to: shop((doc) => Object.assign(responses(doc, '/orders/{orderId}/cancel', 'post')['202'] as JsonObject, { content: { 'application/json': { schema: { type: 'string' } } } })) },
    ['response-media-type-added'],
  ),

  positive('request-body-removed', 'POST /orders no longer takes a request body', { to: shop((doc) => delete operation(doc, '/orders', 'post').requestBody) }, {
    operation: 'POST /orders',
    path: `${ORDERS}/post/requestBody`,
  }),
  negative('request-body-removed', 'POST /orders stops accepting form data but keeps its JSON body', { from: shop(orderForm), to: shop() }, ['request-body-media-type-removed']),

  positive(
    'request-body-became-required',
    'the optional body of PUT /products/{productId}/stock becomes required',
    { from: shop((doc) => delete stockBody(doc).required), to: shop() },
    { operation: 'PUT /products/{productId}/stock', path: `${STOCK_BODY}/required` },
  ),
  negative(
    'request-body-became-required',
    'the optional body of PUT /products/{productId}/stock spells out `required: false`',
    { from: shop((doc) => delete stockBody(doc).required), to: shop((doc) => (stockBody(doc).required = false)) },
    [],
  ),

  positive(
    'request-body-became-optional',
    'the required body of PUT /products/{productId}/stock becomes optional',
    { to: shop((doc) => delete stockBody(doc).required) },
    { operation: 'PUT /products/{productId}/stock', path: STOCK_BODY },
  ),
  negative(
    'request-body-became-optional',
    'the required body of PUT /products/{productId}/stock is removed',
    { to: shop((doc) => delete operation(doc, '/products/{productId}/stock', 'put').requestBody) },
    ['request-body-removed'],
  ),

  positive('request-body-media-type-added', 'POST /orders also accepts form data', { to: shop(orderForm) }, {
    operation: 'POST /orders',
    path: `${ORDERS}/post/requestBody/content/application~1x-www-form-urlencoded`,
  }),
  negative('request-body-media-type-added', 'the 200 response of GET /orders/{orderId} also offers XML', { to: shop(orderXml) }, ['response-media-type-added']),

  positive('request-body-media-type-removed', 'POST /orders stops accepting form data', { from: shop(orderForm), to: shop() }, {
    operation: 'POST /orders',
    path: `${ORDERS}/post/requestBody/content/application~1x-www-form-urlencoded`,
  }),
  negative('request-body-media-type-removed', 'the 200 response of GET /orders/{orderId} stops offering XML', { from: shop(orderXml), to: shop() }, ['response-media-type-removed']),

  positive('request-body-type-changed', 'the body of PUT /products/{productId}/stock changes from integer to string', { to: stockType({ type: 'string' }) }, {
    operation: 'PUT /products/{productId}/stock',
    path: `${STOCK_BODY}/content/application~1json/schema/type`,
  }),
  negative('request-body-type-changed', 'the body of PUT /products/{productId}/stock widens from integer to number', { to: stockType({ type: 'number' }) }, [
    'request-body-type-generalized',
  ]),

  positive('request-body-type-generalized', 'the body of PUT /products/{productId}/stock widens from integer to number', { to: stockType({ type: 'number' }) }, {
    operation: 'PUT /products/{productId}/stock',
    path: `${STOCK_BODY}/content/application~1json/schema/type`,
  }),
  negative('request-body-type-generalized', 'the body of PUT /products/{productId}/stock gains the format int64 (narrower)', { to: stockType({ format: 'int64' }) }, [
    'request-body-type-changed',
  ]),

  positive('request-body-became-nullable', 'the body of PUT /products/{productId}/stock becomes nullable', { to: stockType({ nullable: true }) }, {
    operation: 'PUT /products/{productId}/stock',
    path: `${STOCK_BODY}/content/application~1json/schema/nullable`,
  }),
  negative(
    'request-body-became-nullable',
    'the request property "note" of POST /orders becomes nullable (a property, not the body)',
    { to: shop((doc) => (property(doc, 'OrderInput', 'note').nullable = true)) },
    ['request-property-became-nullable'],
  ),

  positive(
    'request-body-became-not-nullable',
    'the nullable body of PUT /products/{productId}/stock stops accepting null',
    { from: stockType({ nullable: true }), to: shop() },
    { operation: 'PUT /products/{productId}/stock', path: `${STOCK_BODY}/content/application~1json/schema/type` },
  ),
  positive(
    'request-body-became-not-nullable',
    'the nullable body of PUT /products/{productId}/stock stops accepting null (3.1 spelling)',
    { from: stockType({ type: ['integer', 'null'] }, shop31), to: shop31() },
    { operation: 'PUT /products/{productId}/stock', path: `${STOCK_BODY}/content/application~1json/schema/type` },
  ),
  negative(
    'request-body-became-not-nullable',
    'the nullable body of PUT /products/{productId}/stock widens from integer to number and stays nullable',
    { from: stockType({ nullable: true }), to: stockType({ type: 'number', nullable: true }) },
    ['request-body-type-generalized'],
  ),

  positive(
    'request-body-became-enum',
    'the body of PUT /orders/{orderId}/status (a free string) is restricted to paid, shipped, cancelled',
    { from: shop((doc) => delete statusSchema(doc).enum), to: shop() },
    { operation: 'PUT /orders/{orderId}/status', path: `${STATUS_BODY}/content/application~1json/schema/enum` },
  ),
  negative(
    'request-body-became-enum',
    'the body of PUT /orders/{orderId}/status (already an enum) gains the value "refunded"',
    { to: shop((doc) => (statusSchema(doc).enum as string[]).push('refunded')) },
    [],
  ),

  positive(
    'request-body-enum-value-removed',
    'the body of PUT /orders/{orderId}/status loses the value "cancelled"',
    { to: shop((doc) => (statusSchema(doc).enum as string[]).pop()) },
    { operation: 'PUT /orders/{orderId}/status', path: `${STATUS_BODY}/content/application~1json/schema/enum/2` },
  ),
  negative(
    'request-body-enum-value-removed',
    'the response of GET /orders/{orderId}/status loses the value "cancelled" (a response body, not a request body)',
    { to: shop((doc) => (mediaSchema(responseContent(doc, '/orders/{orderId}/status', 'get', '200')).enum as string[]).pop()) },
    ['response-mediatype-enum-value-removed'],
  ),
];
