import { startShopApi } from './shop-api';

/**
 * `SHOP_API_VERSION=v1|v2 PORT=8081 DATABASE_URL=postgres://… [SHOP_API_SEARCH_PATH=a,b]
 * [SHOP_API_ITEM_LOADING=join|per-item] node dist/examples/shop-api/src/main.js`
 */
async function main(): Promise<void> {
  const version = process.env.SHOP_API_VERSION;
  if (version !== 'v1' && version !== 'v2') throw new Error(`SHOP_API_VERSION must be v1 or v2, got ${JSON.stringify(version)}`);
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const itemLoading = process.env.SHOP_API_ITEM_LOADING ?? 'join';
  if (itemLoading !== 'join' && itemLoading !== 'per-item') throw new Error(`SHOP_API_ITEM_LOADING must be join or per-item, got ${itemLoading}`);
  const searchPath = process.env.SHOP_API_SEARCH_PATH?.split(',').filter(Boolean);
  const api = await startShopApi({ version, port, databaseUrl, itemLoading, ...(searchPath ? { searchPath } : {}) });
  process.stdout.write(`shop-api ${version} listening on ${api.url}\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void api.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`shop-api: ${(error as Error).message}\n`);
  process.exit(1);
});
