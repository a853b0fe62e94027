import { connect } from 'node:net';
import { LoadGenerator, waitUntil, type LoadResult } from '@bascule/api-router/testing';

/** Resolves once something accepts TCP connections on 127.0.0.1:`port` (the agent's router is up). */
export function waitForListening(port: number, timeoutMs = 30_000): Promise<true> {
  return waitUntil(
    `a router listening on ${port}`,
    () =>
      new Promise<true | undefined>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(undefined));
      }),
    timeoutMs,
  );
}

/** `count` requests through the router at `url`, `concurrency` at a time; every answer, in order. */
export async function requestsThrough(url: string, count: number, concurrency = 4): Promise<LoadResult[]> {
  const load = LoadGenerator.start(url, { concurrency });
  await load.more(count);
  return load.stop();
}
