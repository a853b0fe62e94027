import type { Pool } from 'pg';

export const ACCOUNT_ROWS = 20_000;

/** The e2e target: `accounts` and a `ledger` referencing it, enough rows for a backfill to take a few seconds in small batches. */
export async function createAccountsTarget(app: Pool): Promise<void> {
  await app.query(`
    CREATE TABLE accounts (id serial PRIMARY KEY, owner text NOT NULL, balance integer NOT NULL);
    CREATE TABLE ledger (id bigserial PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id), amount integer NOT NULL);
    CREATE INDEX ledger_account_id_idx ON ledger (account_id);
    INSERT INTO accounts (owner, balance) SELECT 'owner ' || g, g % 1000 FROM generate_series(1, ${ACCOUNT_ROWS}) AS g;
    INSERT INTO ledger (account_id, amount) SELECT 1 + g % ${ACCOUNT_ROWS}, g % 50 FROM generate_series(1, ${ACCOUNT_ROWS}) AS g;
    ANALYZE;
  `);
}

/** alter_column accounts.balance integer → bigint, with backfill batches as given. */
export function widenBalanceStep(id: string, backfill?: { batchSize: number; delayMs: number }) {
  return {
    id,
    schema: {
      operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'CAST(balance AS integer)' } }],
      ...(backfill ? { backfill } : {}),
    },
  };
}

export async function columnsOf(app: Pool, table: string): Promise<string[]> {
  const { rows } = await app.query<{ column: string }>(
    `SELECT column_name || ' ' || data_type AS column FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => row.column);
}
