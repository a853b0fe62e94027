import { Client, escapeIdentifier } from 'pg';

/** How much sample data the demo loads: tens of thousands of rows over four related tables. */
export interface SampleSize {
  customers: number;
  products: number;
  orders: number;
  /** Items per order (every order gets exactly this many). */
  itemsPerOrder: number;
}

export const DEFAULT_SAMPLE_SIZE: SampleSize = { customers: 10_000, products: 1_000, orders: 30_000, itemsPerOrder: 2 };

/**
 * A shop's tables as an application would have them: keys, foreign keys, indexes, checks. The
 * migrations of the demo change them while writers keep inserting orders and updating customers.
 */
const SCHEMA_SQL = `
CREATE TABLE customers (
  id          bigserial PRIMARY KEY,
  email       text NOT NULL UNIQUE,
  name        text NOT NULL,
  country     char(2) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE products (
  id           serial PRIMARY KEY,
  sku          text NOT NULL UNIQUE,
  title        text NOT NULL,
  price_cents  integer NOT NULL CHECK (price_cents > 0)
);
CREATE TABLE orders (
  id           bigserial PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers (id),
  status       text NOT NULL DEFAULT 'placed' CHECK (status IN ('placed', 'paid', 'shipped', 'cancelled')),
  total_cents  integer NOT NULL CHECK (total_cents >= 0),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE TABLE order_items (
  id                bigserial PRIMARY KEY,
  order_id          bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id        integer NOT NULL REFERENCES products (id),
  quantity          integer NOT NULL CHECK (quantity > 0),
  unit_price_cents  integer NOT NULL
);
CREATE INDEX order_items_order_id_idx ON order_items (order_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
`;

/** Deterministic pseudo-random data (a fixed setseed), so two runs of the demo load the same shop. */
function seedSql(size: SampleSize): string[] {
  return [
    'SELECT setseed(0.42)',
    `INSERT INTO customers (email, name, country, created_at, updated_at)
       SELECT 'customer' || g || '@example.com', 'Customer ' || g,
              (ARRAY['FR','DE','NL','ES','IT','BE','PL','SE'])[1 + (g % 8)],
              now() - (g % 1000) * interval '1 day', now() - (g % 100) * interval '1 hour'
         FROM generate_series(1, ${size.customers}) AS g`,
    `INSERT INTO products (sku, title, price_cents)
       SELECT 'SKU-' || lpad(g::text, 6, '0'), 'Product ' || g, 100 + floor(random() * 9900)::int
         FROM generate_series(1, ${size.products}) AS g`,
    `INSERT INTO orders (customer_id, status, total_cents, created_at)
       SELECT 1 + floor(random() * ${size.customers})::bigint,
              (ARRAY['placed','paid','shipped','cancelled'])[1 + floor(random() * 4)::int],
              0, now() - floor(random() * 365) * interval '1 day'
         FROM generate_series(1, ${size.orders})`,
    `INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
       SELECT o.id, p.id, 1 + floor(random() * 4)::int, p.price_cents
         FROM orders o
         CROSS JOIN generate_series(1, ${size.itemsPerOrder}) AS n
         JOIN products p ON p.id = 1 + ((o.id * 7 + n * 13) % ${size.products})`,
    `UPDATE orders o SET total_cents = s.total
       FROM (SELECT order_id, sum(quantity * unit_price_cents)::int AS total FROM order_items GROUP BY order_id) s
      WHERE s.order_id = o.id`,
    'ANALYZE',
  ];
}

export interface SampleCounts {
  customers: number;
  products: number;
  orders: number;
  orderItems: number;
}

/** Drops the database if it exists (sessions and all) and creates it empty. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<void> {
  await onAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
  });
}

/** Creates the shop's tables in `databaseUrl` and fills them; returns the row counts. */
export async function loadSampleShop(databaseUrl: string, size: SampleSize = DEFAULT_SAMPLE_SIZE): Promise<SampleCounts> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(SCHEMA_SQL);
    for (const statement of seedSql(size)) await client.query(statement);
    return await countSampleShop(client);
  } finally {
    await client.end();
  }
}

export async function countSampleShop(client: Pick<Client, 'query'>): Promise<SampleCounts> {
  const { rows } = await client.query<Record<keyof SampleCounts, string>>(
    `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM products) AS products,
            (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_items) AS "orderItems"`,
  );
  const row = rows[0];
  return { customers: Number(row.customers), products: Number(row.products), orders: Number(row.orders), orderItems: Number(row.orderItems) };
}

/** `postgres://root@host:5432/<name>` from any URL on the same server. */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onAdmin(serverUrl: string, work: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
