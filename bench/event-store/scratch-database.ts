import { Client, escapeIdentifier } from 'pg';
import { ensureDatabaseExists } from '@bascule/event-store';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A throwaway database on the event store's server, dropped when the bench ends. */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `bench_event_store_${process.pid}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await ensureDatabaseExists(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const admin = new URL(serverUrl);
      admin.pathname = '/postgres';
      const client = new Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
