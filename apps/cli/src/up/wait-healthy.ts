const POLL_INTERVAL_MS = 250;
const REQUEST_TIMEOUT_MS = 1000;

/** Polls `<url>/health` until it answers 200; false once `deadline` (epoch ms) passes or `gaveUp()` says stop. */
export async function waitUntilHealthy(url: string, deadline: number, gaveUp: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && !gaveUp()) {
    if (await answers200(`${url}/health`)) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return false;
}

async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
