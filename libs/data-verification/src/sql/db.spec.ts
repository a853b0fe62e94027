import { Client, Pool } from 'pg';
import { isPool } from './db';

describe('isPool', () => {
  it('tells a pool from a client without connecting', async () => {
    const pool = new Pool();
    expect(isPool(pool)).toBe(true);
    expect(isPool(new Client())).toBe(false);
    await pool.end();
  });
});
