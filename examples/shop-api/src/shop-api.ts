import Fastify, { type FastifyInstance } from 'fastify';
import { escapeIdentifier, Pool } from 'pg';

export interface ShopApiOptions {
  /** `v1` serves the shop as it is; `v2` adds each order's `channel`, a column a migration adds. */
  version: 'v1' | 'v2';
  databaseUrl: string;
  /**
   * Schemas the sessions resolve names through: a version of the application reads the database
   * through its version schema (pgroll's model), e.g. `public_orders-channel, public` for v2.
   */
  searchPath?: string[];
  /**
   * `join`: an order's items in one query. `per-item`: one query per item for its product, the
   * N+1 pattern a release can slip in; the demo ships v2 with it to show the canary catch it.
   */
  itemLoading?: 'join' | 'per-item';
  host?: string;
  port: number;
}

interface OrderRow {
  id: string;
  customer_id: string;
  status: string;
  total_cents: number;
  channel?: string;
  created_at: Date;
}

/**
 * A small shop API over the demo's database, in two versions, to migrate with an `api` step: the
 * same routes, v2 adding `channel` to every order (docs: examples/shop-api/openapi/).
 */
export async function startShopApi(options: ShopApiOptions): Promise<{ app: FastifyInstance; url: string; close: () => Promise<void> }> {
  const searchPath = options.searchPath?.length ? ` -c search_path=${options.searchPath.map((schema) => escapeIdentifier(schema).replace(/[\\ ]/g, (c) => `\\${c}`)).join(',')}` : '';
  const pool = new Pool({ connectionString: options.databaseUrl, max: 8, application_name: `shop-api-${options.version}`, options: `-c statement_timeout=5000${searchPath}` });
  pool.on('error', () => undefined);
  const v2 = options.version === 'v2';
  const columns = `id, customer_id, status, total_cents${v2 ? ', channel' : ''}, created_at`;
  const summary = (row: OrderRow) => ({
    id: Number(row.id),
    status: row.status,
    totalCents: Number(row.total_cents),
    ...(v2 ? { channel: row.channel } : {}),
    createdAt: row.created_at.toISOString(),
  });

  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-shop-api-version', options.version);
  });

  // Up, whatever the database holds: v2 starts before the migration that adds its column.
  app.get('/health', async () => ({ status: 'ok', version: options.version }));

  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id) || id < 1) return reply.code(404).send({ message: `no order ${request.params.id}` });
    const { rows } = await pool.query<OrderRow>(`SELECT ${columns} FROM orders WHERE id = $1`, [id]);
    if (rows.length === 0) return reply.code(404).send({ message: `no order ${id}` });
    const items = options.itemLoading === 'per-item' ? await itemsOneByOne(pool, id) : await itemsJoined(pool, id);
    return { ...summary(rows[0]), customerId: Number(rows[0].customer_id), items };
  });

  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>('/customers/:id/orders', async (request) => {
    const limit = Math.min(100, Math.max(1, Number(request.query.limit ?? 20) || 20));
    const { rows } = await pool.query<OrderRow>(`SELECT ${columns} FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2`, [Number(request.params.id) || 0, limit]);
    return { orders: rows.map(summary) };
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port });
  return {
    app,
    url: `http://${options.host ?? '127.0.0.1'}:${options.port}`,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

type Item = { sku: string; quantity: number; unitPriceCents: number };

async function itemsJoined(pool: Pool, orderId: number): Promise<Item[]> {
  const { rows } = await pool.query<{ sku: string; quantity: number; unit_price_cents: number }>(
    'SELECT p.sku, i.quantity, i.unit_price_cents FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = $1 ORDER BY i.id',
    [orderId],
  );
  return rows.map((row) => ({ sku: row.sku, quantity: row.quantity, unitPriceCents: row.unit_price_cents }));
}

async function itemsOneByOne(pool: Pool, orderId: number): Promise<Item[]> {
  const { rows } = await pool.query<{ product_id: number; quantity: number; unit_price_cents: number }>('SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = $1 ORDER BY id', [orderId]);
  const items: Item[] = [];
  for (const row of rows) {
    const product = await pool.query<{ sku: string }>('SELECT sku FROM products WHERE id = $1', [row.product_id]);
    items.push({ sku: product.rows[0]?.sku ?? '', quantity: row.quantity, unitPriceCents: row.unit_price_cents });
  }
  return items;
}
