import type { JsonObject } from '../../document/json-node';
import { negative, positive, type CorpusCase } from './corpus-case';
import { componentSchema, property, requiredOf, shop, shop31 } from './shop-document';

/** Order, answered by POST /orders (201) and GET /orders/{orderId} (200): required id, status (enum) and total; optional note. */
const ORDER = '/components/schemas/Order';
const GET_ORDER = 'GET /orders/{orderId}';
/** Product, answered by GET /products and GET /products/{productId}: required id, name, price; optional stock. */
const PRODUCT = '/components/schemas/Product';

type Edit = (doc: JsonObject) => void;

const addOrder = (name: string, schema: JsonObject, required = false): Edit => (doc) => {
  (componentSchema(doc, 'Order').properties as JsonObject)[name] = schema;
  if (required) requiredOf(doc, 'Order').push(name);
};
const removeOrder = (name: string): Edit => (doc) => {
  delete (componentSchema(doc, 'Order').properties as JsonObject)[name];
  const required = requiredOf(doc, 'Order');
  if (required.includes(name)) required.splice(required.indexOf(name), 1);
};
const optionalOrder = (name: string): Edit => (doc) => requiredOf(doc, 'Order').splice(requiredOf(doc, 'Order').indexOf(name), 1);
const order = (name: string, change: JsonObject, dialect: typeof shop = shop) => dialect((doc) => Object.assign(property(doc, 'Order', name), change));
const product = (name: string, change: JsonObject) => shop((doc) => Object.assign(property(doc, 'Product', name), change));
const statuses = (values: string[]) => order('status', { enum: values });
/** A writeOnly property is never in a response: the v1 Order had one (`paymentToken`), required or not. */
const paymentToken = (required: boolean) => shop(addOrder('paymentToken', { type: 'string', writeOnly: true }, required));

export const RESPONSE_PROPERTY_CASES: CorpusCase[] = [
  positive('response-required-property-removed', 'Order drops its required property "total"', { to: shop(removeOrder('total')) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/total`,
  }),
  negative('response-required-property-removed', 'Order drops its required writeOnly property "paymentToken"', { from: paymentToken(true), to: shop() }, []),

  positive('response-optional-property-removed', 'Order drops its optional property "note"', { to: shop(removeOrder('note')) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/note`,
  }),
  negative('response-optional-property-removed', 'Order drops its required (not optional) property "total"', { to: shop(removeOrder('total')) }, [
    'response-required-property-removed',
  ]),

  positive('response-required-property-added', 'Order gains a required property "currency"', { to: shop(addOrder('currency', { type: 'string' }, true)) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/currency`,
  }),
  negative('response-required-property-added', 'Order gains an optional property "trackingUrl"', { to: shop(addOrder('trackingUrl', { type: 'string', format: 'uri' })) }, [
    'response-optional-property-added',
  ]),

  positive('response-optional-property-added', 'Order gains an optional property "trackingUrl"', { to: shop(addOrder('trackingUrl', { type: 'string', format: 'uri' })) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/trackingUrl`,
  }),
  negative('response-optional-property-added', 'Order gains a required (not optional) property "currency"', { to: shop(addOrder('currency', { type: 'string' }, true)) }, [
    'response-required-property-added',
  ]),

  positive('response-property-became-optional', 'Order\'s "total" leaves `required`', { to: shop(optionalOrder('total')) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/total`,
  }),
  negative(
    'response-property-became-optional',
    'Order\'s writeOnly "paymentToken" leaves `required`',
    { from: paymentToken(true), to: paymentToken(false) },
    [],
  ),

  positive('response-property-became-required', 'Order\'s "note" joins `required`', { to: shop((doc) => requiredOf(doc, 'Order').push('note')) }, {
    operation: GET_ORDER,
    path: `${ORDER}/required/3`,
  }),
  negative(
    'response-property-became-required',
    'the request schema OrderInput\'s "note" joins `required` (a request, not a response)',
    { to: shop((doc) => requiredOf(doc, 'OrderInput').push('note')) },
    ['request-property-became-required'],
  ),

  positive('response-property-type-changed', 'Order\'s "total" changes from number to string', { to: order('total', { type: 'string' }) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/total/type`,
  }),
  negative('response-property-type-changed', 'Order\'s "total" narrows from number to integer', { to: order('total', { type: 'integer' }) }, [
    'response-property-type-specialized',
  ]),

  positive('response-property-type-generalized', 'Product\'s "stock" widens from integer to number', { to: product('stock', { type: 'number' }) }, {
    operation: 'GET /products/{productId}',
    path: `${PRODUCT}/properties/stock/type`,
  }),
  negative('response-property-type-generalized', 'Product\'s "stock" narrows to the format int32', { to: product('stock', { format: 'int32' }) }, [
    'response-property-type-specialized',
  ]),

  positive('response-property-type-specialized', 'Product\'s "price" narrows to the format double', { to: product('price', { format: 'double' }) }, {
    operation: 'GET /products',
    path: `${PRODUCT}/properties/price/format`,
  }),
  negative('response-property-type-specialized', 'Product\'s "price" changes from number to string', { to: product('price', { type: 'string' }) }, [
    'response-property-type-changed',
  ]),

  positive('response-property-became-nullable', 'Order\'s "note" may now be null', { to: order('note', { nullable: true }) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/note/nullable`,
  }),
  positive(
    'response-property-became-nullable',
    'Order\'s "note" may now be null (3.1 spelling)',
    { from: shop31(), to: order('note', { type: ['string', 'null'] }, shop31) },
    { operation: GET_ORDER, path: `${ORDER}/properties/note/type` },
  ),
  negative(
    'response-property-became-nullable',
    'the request schema OrderInput\'s "note" becomes nullable (a request, not a response)',
    { to: shop((doc) => (property(doc, 'OrderInput', 'note').nullable = true)) },
    ['request-property-became-nullable'],
  ),

  positive('response-property-became-not-nullable', 'Order\'s nullable "note" is no longer null', { from: order('note', { nullable: true }), to: shop() }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/note/type`,
  }),
  negative('response-property-became-not-nullable', 'Order\'s nullable "note" is removed altogether', { from: order('note', { nullable: true }), to: shop(removeOrder('note')) }, [
    'response-optional-property-removed',
  ]),

  positive('response-property-enum-value-added', 'Order\'s "status" gains the value "refunded"', { to: statuses(['pending', 'paid', 'shipped', 'refunded']) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/status/enum/3`,
  }),
  negative(
    'response-property-enum-value-added',
    'Order\'s writeOnly enum "paymentMethod" gains the value "invoice"',
    {
      from: shop(addOrder('paymentMethod', { type: 'string', enum: ['card'], writeOnly: true })),
      to: shop(addOrder('paymentMethod', { type: 'string', enum: ['card', 'invoice'], writeOnly: true })),
    },
    [],
  ),

  positive('response-property-enum-value-removed', 'Order\'s "status" loses the value "shipped"', { to: statuses(['pending', 'paid']) }, {
    operation: GET_ORDER,
    path: `${ORDER}/properties/status/enum/2`,
  }),
  negative('response-property-enum-value-removed', 'Order\'s "status" gains the value "refunded"', { to: statuses(['pending', 'paid', 'shipped', 'refunded']) }, [
    'response-property-enum-value-added',
  ]),
];
