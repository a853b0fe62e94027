import type { Pool } from 'pg';
import type { IdempotencyStore } from './idempotency-store';
import { PROCESSED_MESSAGES_DDL } from './processed-messages.ddl';

const UNIQUE_VIOLATION = '23505';
const DUPLICATE_SCHEMA = '42P06';
const DUPLICATE_TABLE = '42P07';

/** IdempotencyStore on `bascule.processed_messages`; the pool is the caller's (the service's). */
export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Creates the table when missing. An existing table is left alone without any DDL: the services'
   * role of a least-privilege install may not create anything in schema `bascule` (the admin's
   * `bascule events init` made the table), and CREATE ... IF NOT EXISTS checks that right first.
   */
  async prepare(): Promise<void> {
    const { rows } = await this.pool.query<{ found: string | null }>(`SELECT to_regclass('bascule.processed_messages')::text AS found`);
    if (rows[0]?.found) return;
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(PROCESSED_MESSAGES_DDL);
        await client.query('COMMIT');
        return;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        // Another component (the event store) may create schema `bascule` at the same moment.
        const code = (error as { code?: string }).code;
        const raced = code === UNIQUE_VIOLATION || code === DUPLICATE_SCHEMA || code === DUPLICATE_TABLE;
        if (!raced || attempt >= 3) throw error;
      } finally {
        client.release();
      }
    }
  }

  async isProcessed(consumer: string, messageId: string): Promise<boolean> {
    const result = await this.pool.query('SELECT 1 FROM bascule.processed_messages WHERE consumer = $1 AND message_id = $2', [
      consumer,
      messageId,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async markProcessed(consumer: string, messageId: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO bascule.processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT (consumer, message_id) DO NOTHING',
      [consumer, messageId],
    );
  }
}
