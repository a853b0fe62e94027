import { join } from 'node:path';
import { createResponseValidator, diffContracts, loadOpenApiDocument, summarizeContract } from '@bascule/api-contract';
import { createTestDatabase, freePorts, type TestDatabase } from '@bascule/testing';
import { Client } from 'pg';
import { startShopApi } from './shop-api';

const OPENAPI_DIR = join(__dirname, '..', 'openapi');
const VERSION_SCHEMA = 'public_orders-channel';

/** The demo shop's tables, a few rows, and the version schema the channel migration would expand: orders with `channel`. */
const SHOP_SQL = `
  CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL, country char(2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE products (id serial PRIMARY KEY, sku text NOT NULL UNIQUE, title text NOT NULL, price_cents integer NOT NULL);
  CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), status text NOT NULL DEFAULT 'placed', total_cents integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE order_items (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), product_id integer NOT NULL REFERENCES products (id), quantity integer NOT NULL, unit_price_cents integer NOT NULL);
  INSERT INTO customers (email, name, country) VALUES ('ana@example.com', 'Ana', 'FR');
  INSERT INTO products (sku, title, price_cents) VALUES ('SKU-1', 'Tea', 450), ('SKU-2', 'Cup', 1200);
  INSERT INTO orders (customer_id, status, total_cents) VALUES (1, 'paid', 2100);
  INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (1, 1, 2, 450), (1, 2, 1, 1200);
  CREATE SCHEMA "${VERSION_SCHEMA}";
  CREATE VIEW "${VERSION_SCHEMA}".orders AS SELECT o.*, 'web'::text AS channel FROM public.orders o;`;

describe('examples/shop-api: two versions of a shop API over the demo database', () => {
  let db: TestDatabase;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    db = await createTestDatabase('shop_api');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(SHOP_SQL);
    await client.end();
  });

  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await db?.drop();
  });

  async function serve(version: 'v1' | 'v2', itemLoading: 'join' | 'per-item' = 'join') {
    const [port] = await freePorts(1);
    const api = await startShopApi({ version, port, databaseUrl: db.url, itemLoading, ...(version === 'v2' ? { searchPath: [VERSION_SCHEMA, 'public'] } : {}) });
    closers.push(api.close);
    return api.url;
  }

  const contract = (version: 'v1' | 'v2') => loadOpenApiDocument(`file:shop-${version}.yaml`, { baseDir: OPENAPI_DIR, label: version });

  it('v1 answers as its document says; v2 adds the channel it reads through its version schema', async () => {
    const [v1, v2] = [await serve('v1'), await serve('v2')];
    const [v1Contract, v2Contract] = [await contract('v1'), await contract('v2')];
    const one = (await (await fetch(`${v1}/orders/1`)).json()) as Record<string, unknown>;
    const two = await (await fetch(`${v2}/orders/1`)).json();
    expect(one).toEqual({ id: 1, status: 'paid', totalCents: 2100, createdAt: expect.any(String), customerId: 1, items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 450 }, { sku: 'SKU-2', quantity: 1, unitPriceCents: 1200 }] });
    expect(two).toEqual({ ...one, channel: 'web' });
    const respond = (body: unknown) => ({ method: 'GET', path: '/orders/1', status: 200, contentType: 'application/json', body });
    expect(createResponseValidator(v1Contract).validate(respond(one))).toMatchObject({ valid: true });
    expect(createResponseValidator(v2Contract).validate(respond(two))).toMatchObject({ valid: true });
    // v1's answer breaks v2's document: the canary's contract check would count it.
    expect(createResponseValidator(v2Contract).validate(respond(one)).valid).toBe(false);
    const list = await (await fetch(`${v2}/customers/1/orders?limit=5`)).json();
    expect(createResponseValidator(v2Contract).validate({ method: 'GET', path: '/customers/1/orders?limit=5', status: 200, contentType: 'application/json', body: list })).toMatchObject({ valid: true });
    expect((await fetch(`${v1}/orders/999`)).status).toBe(404);
  });

  it('loads items one query per item when told to, with the same answer', async () => {
    const [joined, perItem] = [await serve('v2'), await serve('v2', 'per-item')];
    expect(await (await fetch(`${perItem}/orders/1`)).json()).toEqual(await (await fetch(`${joined}/orders/1`)).json());
  });

  it('v1 → v2 is not a breaking change of the contract', async () => {
    const changes = diffContracts(await contract('v1'), await contract('v2'));
    expect(changes.length).toBeGreaterThan(0);
    expect(summarizeContract(changes).breaking).toBe(false);
  });
});
