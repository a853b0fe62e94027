import { z } from 'zod';
import { defineEvent } from '../message-definition';
import { MigrationSpec, STEP_KINDS } from '../migration-spec';
import { MigrationPlan } from './migration-plan';

/**
 * Facts the planner's process manager records in `migration-<id>`. Together with the agents'
 * facts they are the migration: its status is a fold of them (`@bascule/orchestration`).
 */
const Ref = { migrationId: z.string().min(1) };
/** Who asked: a user name from the REST caller or NATS payload, or `bascule` for the process itself. */
const Actor = z.string().min(1).max(254);

/**
 * Where the target's write-ahead log was when a boundary was recorded (`pg_current_wal_lsn()`,
 * the target's `now()`): a point-in-time recovery with the user's WAL archive can aim just
 * before a phase. Absent when the target could not be asked.
 */
export const RecoveryPoint = z.object({ lsn: z.string().regex(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/), at: z.iso.datetime({ offset: true }) });
export type RecoveryPoint = z.infer<typeof RecoveryPoint>;
const AtRecoveryPoint = { recoveryPoint: RecoveryPoint.optional() };

/** `spec` has `file:` refs inlined, so replaying the stream needs nothing else. */
export const MigrationPlanned = defineEvent(
  'MigrationPlanned',
  1,
  z.object({ ...Ref, name: z.string(), target: z.string(), spec: MigrationSpec, plan: MigrationPlan, requestedBy: Actor }),
);
export const MigrationStarted = defineEvent('MigrationStarted', 1, z.object({ ...Ref, requestedBy: Actor }));
export const MigrationPaused = defineEvent('MigrationPaused', 1, z.object({ ...Ref, requestedBy: Actor, reason: z.string().optional() }));
export const MigrationResumed = defineEvent('MigrationResumed', 1, z.object({ ...Ref, requestedBy: Actor }));

export const PhaseStarted = defineEvent('PhaseStarted', 1, z.object({ ...Ref, phaseIndex: z.number().int().nonnegative(), phase: z.string(), ...AtRecoveryPoint }));

/** A step's command went out (or, for approval, the wait began). `commandId` is deterministic. */
export const StepDispatched = defineEvent(
  'StepDispatched',
  1,
  z.object({ ...Ref, phaseIndex: z.number().int().nonnegative(), stepId: z.string(), kind: z.enum(STEP_KINDS), commandId: z.string() }),
);
export const StepApproved = defineEvent('StepApproved', 1, z.object({ ...Ref, stepId: z.string(), approvedBy: Actor, comment: z.string().max(2000).optional() }));
/**
 * A step that may not run without someone's say-so is ready and waits: a `sql` step declared
 * `irreversible: true` runs only after a `StepApproved` from someone other than `startedBy`.
 */
export const StepApprovalRequested = defineEvent(
  'StepApprovalRequested',
  1,
  z.object({ ...Ref, phaseIndex: z.number().int().nonnegative(), stepId: z.string(), reason: z.enum(['irreversible', 'breaking_contract']), startedBy: Actor }),
);

/** Every step of the phase succeeded and the phase's verification gate passed. */
export const PhaseCompleted = defineEvent('PhaseCompleted', 1, z.object({ ...Ref, phaseIndex: z.number().int().nonnegative(), phase: z.string(), durationMs: z.number(), ...AtRecoveryPoint }));

/** Every phase done: old and new versions both live, rollback still instant. Complete waits for `completeAfter`. */
export const MigrationExpanded = defineEvent('MigrationExpanded', 1, z.object({ ...Ref, completeAfter: z.iso.datetime(), ...AtRecoveryPoint }));
/** The contract begins: the rollback window ended, or someone asked to complete now. */
export const MigrationCompleteRequested = defineEvent('MigrationCompleteRequested', 1, z.object({ ...Ref, requestedBy: Actor, reason: z.enum(['window_elapsed', 'requested']) }));
export const MigrationCompleted = defineEvent('MigrationCompleted', 1, z.object({ ...Ref, durationMs: z.number(), ...AtRecoveryPoint }));

/** Stopped without rolling back (automatic rollback off, or the rollback itself failed). */
export const MigrationFailed = defineEvent(
  'MigrationFailed',
  1,
  z.object({ ...Ref, stepId: z.string().nullable(), code: z.string(), message: z.string() }),
);

/** A forward-and-back run on a scratch copy of the target's schema, and what it proved. */
export const RollbackRehearsed = defineEvent(
  'RollbackRehearsed',
  1,
  z.object({
    ...Ref,
    passed: z.boolean(),
    scratchDatabase: z.string(),
    sampledRows: z.number().int().nonnegative(),
    /** What each check proved: `schema restored identically`, `rows equal after rollback`, ... */
    checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })),
    durationMs: z.number(),
  }),
);
