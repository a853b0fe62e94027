/** What one version did during one canary window. */
export interface VersionWindow {
  version: string;
  /** Requests routed to it in the window. */
  requests: number;
  /** Its 5xx answers, the router's own 502/504 included. */
  serverErrors: number;
  /** Per-request latencies; null when the router records none (HAProxy without its request logs). */
  latencyMs: number[] | null;
}

/** The new version's sampled responses checked against its OpenAPI document in the window. */
export interface ContractWindow {
  checked: number;
  violations: number;
  /** A few violations as "GET /orders/{id} (200): body/total must be number", the first ones seen. */
  examples: string[];
}

/** One judged canary window: both versions, and the old version's figures the new one is held to. */
export interface CanaryWindow {
  from: VersionWindow;
  to: VersionWindow;
  /**
   * The old version's figures to compare with: its own window's, topped up with its previous
   * windows' when it served too few (at 100 % it serves none).
   */
  reference: VersionWindow;
  /** Null when the router cannot sample responses (HAProxy): the contract is not checked. */
  contract: ContractWindow | null;
}
