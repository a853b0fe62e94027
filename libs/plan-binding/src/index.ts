/**
 * @bascule/plan-binding — the agents' edge of `bindCommand` (@bascule/orchestration): before an
 * agent runs a command on a target it reads the migration's stream, rebuilds the command the
 * migration's events asked for, and runs that; anything else is recorded as `CommandRejected`.
 * Test support (a migration recorded as the planner would) is `@bascule/plan-binding/testing`.
 */
export * from './plan-binding';
