import type { IncomingHttpHeaders } from 'node:http';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: the client's
 * `Keep-Alive` says nothing about the router's pooled upstream connection (and undici refuses it),
 * and an upstream's `Connection: close` must not close the client's connection to the router.
 */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept = { ...headers };
  for (const name of HOP_BY_HOP) delete kept[name];
  return kept;
}

/** Request headers for the upstream: the client's, with its Host kept (as HAProxy does) and hop-by-hop ones dropped. */
export function upstreamRequestHeaders(clientHeaders: IncomingHttpHeaders, prepared: IncomingHttpHeaders): IncomingHttpHeaders {
  const headers = withoutHopByHop(prepared);
  if (clientHeaders.host) headers.host = clientHeaders.host;
  return headers;
}

/** Response headers for the client: the upstream's, without hop-by-hop ones. */
export function clientResponseHeaders(upstreamHeaders: IncomingHttpHeaders): IncomingHttpHeaders {
  return withoutHopByHop(upstreamHeaders);
}
