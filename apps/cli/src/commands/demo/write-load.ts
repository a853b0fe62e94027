import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type PoolClient } from 'pg';

export interface WriteLoadResult {
  /** Committed transactions (an order with its items, or a customer update). */
  ok: number;
  failed: number;
  ordersPlaced: number;
  customersUpdated: number;
  /** The first distinct error messages, for the demo's summary. */
  errors: string[];
  seconds: number;
}

export interface WriteLoadOptions {
  databaseUrl: string;
  /** Writers placing orders (each one connection). */
  orderWriters: number;
  /** Writers updating customers. */
  customerWriters: number;
  /** Pause after each transaction: keeps the load realistic instead of saturating a small machine. */
  pauseMs: number;
  customers: number;
  products: number;
}

const MAX_ERRORS_KEPT = 5;

/**
 * The application of the demo, writing through the physical schema (`public`, the old version)
 * while migrations run: what a zero-downtime migration must not disturb. Every failure is counted,
 * none is retried, so "0 failed" means no write was ever refused.
 */
export class WriteLoad {
  private readonly pool: Pool;
  private running = true;
  private stopped: Promise<WriteLoadResult> | undefined;
  private readonly writers: Promise<void>[] = [];
  private readonly startedAt = Date.now();
  private readonly result: Omit<WriteLoadResult, 'seconds'> = { ok: 0, failed: 0, ordersPlaced: 0, customersUpdated: 0, errors: [] };

  constructor(private readonly options: WriteLoadOptions) {
    this.pool = new Pool({ connectionString: options.databaseUrl, max: options.orderWriters + options.customerWriters });
    // An idle client losing its connection must be counted by its writer, not crash the process.
    this.pool.on('error', () => undefined);
  }

  start(): this {
    for (let i = 0; i < this.options.orderWriters; i += 1) this.writers.push(this.loop(() => this.placeOrder()));
    for (let i = 0; i < this.options.customerWriters; i += 1) this.writers.push(this.loop(() => this.updateCustomer()));
    return this;
  }

  /** What has been counted so far (the load keeps running). */
  get progress(): Readonly<Omit<WriteLoadResult, 'seconds'>> {
    return this.result;
  }

  /** Lets each writer finish its transaction, then closes the pool; calling it again returns the same result. */
  stop(): Promise<WriteLoadResult> {
    this.stopped ??= (async () => {
      this.running = false;
      await Promise.all(this.writers);
      await this.pool.end();
      return { ...this.result, errors: [...this.result.errors], seconds: (Date.now() - this.startedAt) / 1000 };
    })();
    return this.stopped;
  }

  private async loop(write: () => Promise<void>): Promise<void> {
    while (this.running) {
      try {
        await write();
        this.result.ok += 1;
      } catch (error) {
        this.result.failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        if (this.result.errors.length < MAX_ERRORS_KEPT && !this.result.errors.includes(message)) this.result.errors.push(message);
      }
      await sleep(this.options.pauseMs);
    }
  }

  private async placeOrder(): Promise<void> {
    const customerId = 1 + Math.floor(Math.random() * this.options.customers);
    const items = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({
      productId: 1 + Math.floor(Math.random() * this.options.products),
      quantity: 1 + Math.floor(Math.random() * 4),
    }));
    await this.inTransaction(async (client) => {
      const order = await client.query<{ id: string }>('INSERT INTO orders (customer_id, total_cents) VALUES ($1, 0) RETURNING id', [customerId]);
      const orderId = order.rows[0].id;
      for (const item of items) {
        await client.query(
          `INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
           SELECT $1, id, $3, price_cents FROM products WHERE id = $2`,
          [orderId, item.productId, item.quantity],
        );
      }
      await client.query(
        'UPDATE orders SET total_cents = (SELECT coalesce(sum(quantity * unit_price_cents), 0) FROM order_items WHERE order_id = $1) WHERE id = $1',
        [orderId],
      );
    });
    this.result.ordersPlaced += 1;
  }

  private async updateCustomer(): Promise<void> {
    const customerId = 1 + Math.floor(Math.random() * this.options.customers);
    await this.pool.query("UPDATE customers SET name = 'Customer ' || id || ' (updated)', updated_at = now() WHERE id = $1", [customerId]);
    this.result.customersUpdated += 1;
  }

  private async inTransaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
