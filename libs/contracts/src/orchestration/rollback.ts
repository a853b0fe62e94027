import { z } from 'zod';
import { defineCommand, defineEvent } from '../message-definition';

/**
 * **Contract** (ARCHITECTURE.md "on-call rollback command"): subject `bascule.cmd.rollback`, JSON
 * `{"migrationId", "reason", "requestedBy"}`, sent with any NATS client. Extra fields are ignored
 * so an older or newer sender still works; duplicates are harmless.
 */
export const RequestRollback = defineCommand(
  'rollback',
  1,
  z.object({
    migrationId: z.string().min(1).max(200),
    reason: z.string().min(1).max(2000),
    requestedBy: z.string().min(1).max(254),
  }),
);

export const RollbackTrigger = z.enum(['on-call', 'api', 'automatic']);
export type RollbackTrigger = z.infer<typeof RollbackTrigger>;

/** One compensation, in the order they run (reverse dependency order of what ran). */
export const CompensationStep = z.object({
  stepId: z.string(),
  kind: z.enum(['schema', 'sql', 'api']),
  action: z.enum(['schema.rollback', 'sql.revert', 'api.rollback']),
  commandId: z.string(),
});
export type CompensationStep = z.infer<typeof CompensationStep>;

export const RollbackStarted = defineEvent(
  'RollbackStarted',
  1,
  z.object({
    migrationId: z.string(),
    trigger: RollbackTrigger,
    reason: z.string(),
    requestedBy: z.string(),
    /** When the command (or the failure that triggered it) reached the rollback-manager. */
    receivedAt: z.iso.datetime(),
    compensation: z.array(CompensationStep),
  }),
);

/** Every compensation ran; the old version is the only one. Restoration is verified after (`DataCompared` label `restoration`). */
export const MigrationRolledBack = defineEvent(
  'MigrationRolledBack',
  1,
  z.object({ migrationId: z.string(), durationMs: z.number(), compensated: z.array(z.string()) }),
);

export const RollbackFailed = defineEvent(
  'RollbackFailed',
  1,
  z.object({ migrationId: z.string(), stepId: z.string().nullable(), code: z.string(), message: z.string() }),
);

/** Stream for rejections of commands naming no known migration. */
export const ROLLBACK_REJECTIONS_STREAM = 'rollback-rejections';

/** The command could not be acted on: unknown migration, already rolled back, completed, not started. */
export const RollbackRejected = defineEvent(
  'RollbackRejected',
  1,
  z.object({
    migrationId: z.string(),
    reason: z.string(),
    requestedBy: z.string(),
    code: z.enum(['unknown_migration', 'already_rolled_back', 'completed', 'not_started', 'irreversible']),
    message: z.string(),
  }),
);
