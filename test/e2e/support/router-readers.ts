import { LoadGenerator } from '@bascule/api-router/testing';

/** Readers through an embedded router from the moment it listens (the api-agent starts it with its step). */
export async function readersThrough(routerPort: number, logDir: string): Promise<LoadGenerator> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const answered = await fetch(`http://127.0.0.1:${routerPort}/load`).then(() => true, () => false);
    if (answered) return LoadGenerator.start(`http://127.0.0.1:${routerPort}`, { concurrency: 4 });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the router never listened on ${routerPort} (logs: ${logDir})`);
}
