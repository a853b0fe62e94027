import type { JsonObject } from '../../document/json-node';
import { negative, positive, type CorpusCase } from './corpus-case';
import { listAt, operation, shop } from './shop-document';

/** POST /orders: `[{oauth: [orders:write]}, {apiKey: []}]`; the document: `[{apiKey: []}, {oauth: [shop:read]}]`. */
const ORDERS_SECURITY = '/paths/~1orders/post/security';
const POST_ORDERS = 'POST /orders';

type Requirement = Record<string, string[]>;

const orderSecurity = (doc: JsonObject) => operation(doc, '/orders', 'post').security as Requirement[];
const globalSecurity = (doc: JsonObject) => listAt(doc, 'security') as Requirement[];
const editOrderSecurity = (change: (security: Requirement[]) => void) => shop((doc) => change(orderSecurity(doc)));
const editGlobalSecurity = (change: (security: Requirement[]) => void) => shop((doc) => change(globalSecurity(doc)));

export const SECURITY_CASES: CorpusCase[] = [
  positive(
    'api-security-removed',
    'POST /orders no longer accepts the API key alternative',
    { to: editOrderSecurity((security) => security.splice(1, 1)) },
    { operation: POST_ORDERS, path: `${ORDERS_SECURITY}/1` },
  ),
  negative(
    'api-security-removed',
    'POST /orders\' OAuth requirement no longer asks for the scope orders:write',
    { to: editOrderSecurity((security) => (security[0].oauth = [])) },
    ['api-security-scope-removed'],
  ),

  positive('api-security-added', 'POST /orders also accepts a bearer token', { to: editOrderSecurity((security) => security.push({ bearer: [] })) }, {
    operation: POST_ORDERS,
    path: `${ORDERS_SECURITY}/2`,
  }),
  positive(
    'api-security-added',
    'POST /orders also accepts OAuth with the scope orders:admin, as another alternative',
    { to: editOrderSecurity((security) => security.push({ oauth: ['orders:admin'] })) },
    { operation: POST_ORDERS, path: `${ORDERS_SECURITY}/2` },
  ),
  negative('api-security-added', 'POST /orders also accepts anonymous calls (`{}`)', { to: editOrderSecurity((security) => security.push({})) }, []),

  positive(
    'api-security-scope-added',
    'POST /orders\' OAuth requirement also asks for the scope orders:admin',
    { to: editOrderSecurity((security) => security[0].oauth.push('orders:admin')) },
    { operation: POST_ORDERS, path: `${ORDERS_SECURITY}/0/oauth/1` },
  ),
  negative(
    'api-security-scope-added',
    'the document-wide OAuth requirement also asks for orders:read (document-wide, not the operation\'s)',
    { to: editGlobalSecurity((security) => security[1].oauth.push('orders:read')) },
    ['api-global-security-scope-added'],
  ),

  positive(
    'api-security-scope-removed',
    'POST /orders\' OAuth requirement no longer asks for the scope orders:admin',
    { from: editOrderSecurity((security) => security[0].oauth.push('orders:admin')), to: shop() },
    { operation: POST_ORDERS, path: `${ORDERS_SECURITY}/0/oauth/1` },
  ),
  negative(
    'api-security-scope-removed',
    'the document-wide OAuth requirement no longer asks for shop:read (document-wide, not the operation\'s)',
    { to: editGlobalSecurity((security) => (security[1].oauth = [])) },
    ['api-global-security-scope-removed'],
  ),

  positive('api-global-security-removed', 'the document no longer accepts the OAuth alternative', { to: editGlobalSecurity((security) => security.splice(1, 1)) }, {
    path: '/security/1',
  }),
  negative('api-global-security-removed', 'the document lists its two alternatives in the other order', { to: editGlobalSecurity((security) => security.reverse()) }, []),

  positive('api-global-security-added', 'the document also accepts a bearer token', { to: editGlobalSecurity((security) => security.push({ bearer: [] })) }, {
    path: '/security/2',
  }),
  negative('api-global-security-added', 'POST /orders (not the document) also accepts a bearer token', { to: editOrderSecurity((security) => security.push({ bearer: [] })) }, [
    'api-security-added',
  ]),

  positive(
    'api-global-security-scope-added',
    'the document-wide OAuth requirement also asks for orders:read',
    { to: editGlobalSecurity((security) => security[1].oauth.push('orders:read')) },
    { path: '/security/1/oauth/1' },
  ),
  negative(
    'api-global-security-scope-added',
    'POST /orders\' OAuth requirement (not the document\'s) also asks for orders:admin',
    { to: editOrderSecurity((security) => security[0].oauth.push('orders:admin')) },
    ['api-security-scope-added'],
  ),

  positive('api-global-security-scope-removed', 'the document-wide OAuth requirement no longer asks for shop:read', { to: editGlobalSecurity((security) => (security[1].oauth = [])) }, {
    path: '/security/1/oauth/0',
  }),
  negative('api-global-security-scope-removed', 'the document-wide OAuth alternative is removed altogether', { to: editGlobalSecurity((security) => security.splice(1, 1)) }, [
    'api-global-security-removed',
  ]),
];
