/**
 * ARCHITECTURE.md, "Monitor (contract: spec shape)": the `monitor` block verbatim, with phases
 * holding the analysis step the same section shows (`soak`).
 */
export const MONITOR_EXAMPLE = `name: widen-account-balance
target: app
phases:
  - name: expand
    steps:
      - id: widen-balance
        schema:
          operations:
            - alter_column: {table: accounts, column: balance, type: bigint, up: balance, down: CAST(balance AS integer)}
      - id: soak
        dependsOn: [widen-balance]
        analysis: {duration: 60s, metrics: [balance-lookup]}
monitor:
  baseline: 30s        # measured before the first phase starts (default 30s)
  interval: 5s         # one judged window per interval (default 5s)
  failureLimit: 2      # consecutive failed windows that fail the analysis (default 2)
  watch: 72h           # keeps judging after \`expanded\` and \`completed\` (default: rollback.window)
  metrics:
    - name: balance-lookup
      probe: {sql: "SELECT id FROM accounts WHERE balance = 4242", every: 250ms}
      degradation: 20%            # worse than the baseline by more than this fails (default 20%)
    - name: checkout-p95
      prometheus: {url: "http://127.0.0.1:9090", query: "histogram_quantile(0.95, ...)"}
      max: 0.5                    # an absolute bound instead of (or beside) degradation
    - name: target-rollbacks
      postgres: rollback_ratio    # built-in target health figures
`;
