import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ensureIdempotencyKeysTable, PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';

export type Reservation =
  | { kind: 'reserved' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

/** Stores the first response given under each `Idempotency-Key`. */
@Injectable()
export class IdempotencyKeyStore implements OnModuleInit {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await ensureIdempotencyKeysTable(this.pool);
  }

  /** Takes the key for this request, or says why not: a replay, the same key still running, or another request's key. */
  async reserve(key: string, requestHash: string): Promise<Reservation> {
    const inserted = await this.pool.query('INSERT INTO bascule.idempotency_keys (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, requestHash]);
    if (inserted.rowCount === 1) return { kind: 'reserved' };
    const { rows } = await this.pool.query<{ request_hash: string; status: number | null; response: unknown }>(
      'SELECT request_hash, status, response FROM bascule.idempotency_keys WHERE key = $1',
      [key],
    );
    const row = rows[0];
    if (!row) return this.reserve(key, requestHash); // released meanwhile
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status === null) return { kind: 'in_progress' };
    return { kind: 'replay', status: row.status, body: row.response };
  }

  async save(key: string, status: number, body: unknown): Promise<void> {
    await this.pool.query('UPDATE bascule.idempotency_keys SET status = $2, response = $3 WHERE key = $1', [key, status, JSON.stringify(body ?? null)]);
  }

  /** A request that failed keeps no key: the client may retry it with the same key. */
  async release(key: string): Promise<void> {
    await this.pool.query('DELETE FROM bascule.idempotency_keys WHERE key = $1 AND status IS NULL', [key]);
  }
}
