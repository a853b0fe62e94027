/** ARCHITECTURE.md, "Migration spec (contract: the outer shape)", verbatim. */
export const CONTRACT_EXAMPLE = `name: widen-account-balance
target: app                 # connection from env BASCULE_TARGET_APP_URL; never stored in events
phases:
  - name: expand
    steps:
      - id: widen-balance
        schema:
          operations:
            - alter_column: {table: accounts, column: balance, type: bigint, up: balance, down: CAST(balance AS integer)}
  - name: verify
    steps:
      - id: integrity
        verify: {tables: [accounts]}
rollback:
  automatic: true           # a failed step, verification or analysis rolls back by itself
  window: 72h               # contract (complete) waits this long unless told to complete now
`;
