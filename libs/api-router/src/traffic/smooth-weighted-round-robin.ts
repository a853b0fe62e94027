interface Peer {
  readonly version: string;
  readonly weight: number;
  current: number;
}

/**
 * nginx's smooth weighted round-robin (ngx_http_upstream_get_peer): each pick adds every peer's
 * weight to its running score, takes the highest score and subtracts the total weight from it.
 * Over any run of `sum(weights)` picks each peer is chosen exactly `weight` times, and picks are
 * spread out (5/1/1 gives a a b a c a a), so a 5 % canary sees 1 request in every 20, not a burst.
 *
 * Immutable weights: a weight change builds a new balancer, which restarts the cycle from zero
 * scores as nginx does on reload, and makes the switch a single reference swap.
 */
export class SmoothWeightedRoundRobin {
  private readonly peers: Peer[];

  constructor(weights: Readonly<Record<string, number>>) {
    this.peers = Object.entries(weights)
      .filter(([, weight]) => weight > 0)
      .map(([version, weight]) => ({ version, weight, current: 0 }));
  }

  /** The next version to serve a request, or undefined when every weight is 0. */
  pick(): string | undefined {
    let total = 0;
    let best: Peer | undefined;
    for (const peer of this.peers) {
      peer.current += peer.weight;
      total += peer.weight;
      if (!best || peer.current > best.current) best = peer;
    }
    if (!best) return undefined;
    best.current -= total;
    return best.version;
  }
}
