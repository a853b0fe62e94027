import { z } from 'zod';
import { defineCommand, defineEvent } from './message-definition';

/**
 * The schema-agent's vocabulary: commands that run a `schema` step of a migration on a named
 * target, and the facts it records about them. The pgroll-format migration travels as plain JSON;
 * the schema engine validates it strictly when it receives it.
 */
const SchemaStepRef = {
  migrationId: z.string().min(1),
  stepId: z.string().min(1),
  /** Target name: the connection comes from env `BASCULE_TARGET_<NAME>_URL`, never from a message. */
  target: z.string().regex(/^[a-z][a-z0-9_]*$/i, 'target names are letters, digits and "_"'),
  /** Physical schema the step changes. */
  schema: z.string().min(1).default('public'),
};

export const StartSchemaStep = defineCommand(
  'schema.start',
  1,
  z.object({
    ...SchemaStepRef,
    commandId: z.uuid(),
    /** The pgroll-format migration body: `{version_schema?, operations: [...]}`. */
    migration: z.object({ version_schema: z.string().optional(), operations: z.array(z.unknown()).min(1) }).loose(),
    backfill: z
      .object({
        batchSize: z.number().int().positive().optional(),
        delayMs: z.number().int().nonnegative().optional(),
        targetBatchMs: z.number().int().nonnegative().optional(),
      })
      .optional(),
  }),
);

export const CompleteSchemaStep = defineCommand('schema.complete', 1, z.object({ ...SchemaStepRef, commandId: z.uuid() }));
export const RollbackSchemaStep = defineCommand('schema.rollback', 1, z.object({ ...SchemaStepRef, commandId: z.uuid() }));

const StepFact = { migrationId: z.string(), stepId: z.string(), target: z.string(), schema: z.string() };

export const SchemaStepStarted = defineEvent('SchemaStepStarted', 1, z.object({ ...StepFact, versionSchema: z.string() }));
export const BackfillCheckpointRecorded = defineEvent(
  'BackfillCheckpointRecorded',
  1,
  z.object({ ...StepFact, table: z.string(), rowsDone: z.number().int().nonnegative(), rowsTotal: z.number().int().nullable(), lastKey: z.array(z.unknown()).nullable() }),
);
/** Start finished: old and new versions are both live; rollback is still instant. */
export const SchemaStepExpanded = defineEvent('SchemaStepExpanded', 1, z.object({ ...StepFact, versionSchema: z.string(), durationMs: z.number() }));
export const SchemaStepCompleted = defineEvent('SchemaStepCompleted', 1, z.object({ ...StepFact, durationMs: z.number() }));
export const SchemaStepRolledBack = defineEvent('SchemaStepRolledBack', 1, z.object({ ...StepFact, durationMs: z.number() }));
export const SchemaStepFailed = defineEvent(
  'SchemaStepFailed',
  1,
  z.object({
    ...StepFact,
    phase: z.enum(['start', 'complete', 'rollback']),
    code: z.string(),
    message: z.string(),
    /** SQLSTATE of the Postgres error, when Postgres raised it. */
    pgCode: z.string().nullable(),
    /** Index of the failing operation in the migration's `operations`, when one failed. */
    operationIndex: z.number().int().nullable(),
  }),
);
