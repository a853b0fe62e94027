import type { JsonObject } from '../../document/json-node';
import { negative, positive, type CorpusCase } from './corpus-case';
import { componentSchema, property, requiredOf, shop } from './shop-document';

/** OrderInput, the body of POST /orders: required productId and quantity; note, shipping (enum) and a readOnly reference. */
const INPUT = '/components/schemas/OrderInput';
const POST_ORDERS = 'POST /orders';

type Edit = (doc: JsonObject) => void;

const addInput = (name: string, schema: JsonObject, required = false): Edit => (doc) => {
  (componentSchema(doc, 'OrderInput').properties as JsonObject)[name] = schema;
  if (required) requiredOf(doc, 'OrderInput').push(name);
};
const removeInput = (name: string): Edit => (doc) => {
  delete (componentSchema(doc, 'OrderInput').properties as JsonObject)[name];
  const required = requiredOf(doc, 'OrderInput');
  if (required.includes(name)) required.splice(required.indexOf(name), 1);
};
const input = (name: string, change: JsonObject) => shop((doc) => Object.assign(property(doc, 'OrderInput', name), change));
const shippingModes = (modes: string[]) => input('shipping', { enum: modes });
const nullableNote = () => input('note', { nullable: true });

export const REQUEST_PROPERTY_CASES: CorpusCase[] = [
  positive(
    'new-required-request-property',
    'OrderInput gains a required property "currency"',
    { to: shop(addInput('currency', { type: 'string' }, true)) },
    { operation: POST_ORDERS, path: `${INPUT}/properties/currency` },
  ),
  negative('new-required-request-property', 'OrderInput gains a required readOnly property "createdAt" (clients never send it)', {
    to: shop(addInput('createdAt', { type: 'string', format: 'date-time', readOnly: true }, true)),
  }, []),

  positive('new-optional-request-property', 'OrderInput gains an optional property "couponCode"', { to: shop(addInput('couponCode', { type: 'string' })) }, {
    operation: POST_ORDERS,
    path: `${INPUT}/properties/couponCode`,
  }),
  negative('new-optional-request-property', 'OrderInput gains a required (not optional) property "currency"', { to: shop(addInput('currency', { type: 'string' }, true)) }, [
    'new-required-request-property',
  ]),

  positive('request-property-removed', 'OrderInput drops the optional property "note"', { to: shop(removeInput('note')) }, {
    operation: POST_ORDERS,
    path: `${INPUT}/properties/note`,
  }),
  negative(
    'request-property-removed',
    'the response schema Order drops its optional property "note" (a response, not a request)',
    { to: shop((doc) => delete (componentSchema(doc, 'Order').properties as JsonObject).note) },
    ['response-optional-property-removed'],
  ),

  positive('request-property-became-required', 'OrderInput\'s "note" joins `required`', { to: shop((doc) => requiredOf(doc, 'OrderInput').push('note')) }, {
    operation: POST_ORDERS,
    path: `${INPUT}/required/2`,
  }),
  negative(
    'request-property-became-required',
    'OrderInput\'s readOnly "reference" joins `required` (clients never send it)',
    { to: shop((doc) => requiredOf(doc, 'OrderInput').push('reference')) },
    [],
  ),

  positive(
    'request-property-became-optional',
    'OrderInput\'s "quantity" leaves `required`',
    { to: shop((doc) => requiredOf(doc, 'OrderInput').splice(1, 1)) },
    { operation: POST_ORDERS, path: `${INPUT}/properties/quantity` },
  ),
  negative('request-property-became-optional', 'OrderInput\'s required "quantity" is removed altogether', { to: shop(removeInput('quantity')) }, ['request-property-removed']),

  positive('request-property-type-changed', 'OrderInput\'s "quantity" changes from integer to string', { to: input('quantity', { type: 'string' }) }, {
    operation: POST_ORDERS,
    path: `${INPUT}/properties/quantity/type`,
  }),
  negative('request-property-type-changed', 'OrderInput\'s "quantity" widens from integer to number', { to: input('quantity', { type: 'number' }) }, [
    'request-property-type-generalized',
  ]),

  positive('request-property-type-generalized', 'OrderInput\'s "quantity" widens from integer to number', { to: input('quantity', { type: 'number' }) }, {
    operation: POST_ORDERS,
    path: `${INPUT}/properties/quantity/type`,
  }),
  negative('request-property-type-generalized', 'OrderInput\'s "note" gains the format email (narrower)', { to: input('note', { format: 'email' }) }, [
    'request-property-type-changed',
  ]),

  positive('request-property-became-nullable', 'OrderInput\'s "note" becomes nullable', { to: nullableNote() }, {
    operation: POST_ORDERS,
    path: `${INPUT}/properties/note/nullable`,
  }),
  negative(
    'request-property-became-nullable',
    'the response schema Order\'s "note" becomes nullable (a response, not a request)',
    { to: shop((doc) => (property(doc, 'Order', 'note').nullable = true)) },
    ['response-property-became-nullable'],
  ),

  positive('request-property-became-not-nullable', 'OrderInput\'s nullable "note" stops accepting null', { from: nullableNote(), to: shop() }, {
    operation: POST_ORDERS,
    path: `${INPUT}/properties/note/type`,
  }),
  negative('request-property-became-not-nullable', 'OrderInput\'s nullable "note" is removed altogether', { from: nullableNote(), to: shop(removeInput('note')) }, [
    'request-property-removed',
  ]),

  positive(
    'request-property-became-enum',
    'OrderInput\'s "shipping" (a free string) is restricted to standard, express',
    { from: shop((doc) => delete property(doc, 'OrderInput', 'shipping').enum), to: shop() },
    { operation: POST_ORDERS, path: `${INPUT}/properties/shipping/enum` },
  ),
  negative('request-property-became-enum', 'OrderInput\'s "shipping" (already an enum) gains the value "pickup"', { to: shippingModes(['standard', 'express', 'pickup']) }, [
    'request-property-enum-value-added',
  ]),

  positive('request-property-enum-value-removed', 'OrderInput\'s "shipping" loses the value "express"', { to: shippingModes(['standard']) }, {
    operation: POST_ORDERS,
    path: `${INPUT}/properties/shipping/enum/1`,
  }),
  negative('request-property-enum-value-removed', 'OrderInput\'s "shipping" lists the same values in another order', { to: shippingModes(['express', 'standard']) }, []),

  positive('request-property-enum-value-added', 'OrderInput\'s "shipping" gains the value "pickup"', { to: shippingModes(['standard', 'express', 'pickup']) }, {
    operation: POST_ORDERS,
    path: `${INPUT}/properties/shipping/enum/2`,
  }),
  negative(
    'request-property-enum-value-added',
    'the response schema Order\'s "status" gains the value "refunded" (a response, not a request)',
    { to: shop((doc) => (property(doc, 'Order', 'status').enum as string[]).push('refunded')) },
    ['response-property-enum-value-added'],
  ),
];
