import { z } from 'zod';
import { defineCommand, defineEvent } from '../message-definition';

/**
 * `sql` steps (Sqitch-style up / down / verify), run by the schema-agent on the target. `up` and
 * its `verify` run in one transaction: a failing verify leaves nothing applied.
 */
const StepRef = {
  migrationId: z.string().min(1),
  stepId: z.string().min(1),
  target: z.string().regex(/^[a-z][a-z0-9_]*$/, 'target names are a-z, 0-9 and "_"'),
  commandId: z.uuid(),
};

export const ApplySqlStep = defineCommand('sql.apply', 1, z.object({ ...StepRef, up: z.string().min(1), verify: z.string().min(1).optional() }));
export const RevertSqlStep = defineCommand('sql.revert', 1, z.object({ ...StepRef, down: z.string().min(1) }));

const Fact = { migrationId: z.string(), stepId: z.string(), target: z.string() };
export const SqlStepApplied = defineEvent('SqlStepApplied', 1, z.object({ ...Fact, durationMs: z.number(), rowsAffected: z.number().int().nullable() }));
export const SqlStepReverted = defineEvent('SqlStepReverted', 1, z.object({ ...Fact, durationMs: z.number() }));
export const SqlStepFailed = defineEvent(
  'SqlStepFailed',
  1,
  z.object({ ...Fact, phase: z.enum(['apply', 'verify', 'revert']), code: z.string(), message: z.string(), pgCode: z.string().nullable() }),
);
