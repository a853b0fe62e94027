import { z } from 'zod';
import { defineCommand, defineEvent } from '../message-definition';

/**
 * The api-agent's vocabulary. Commands name only the step: the agent reads the router, versions and
 * canary from the spec stored in `MigrationPlanned`, so a message cannot point traffic elsewhere.
 */
const StepRef = {
  migrationId: z.string().min(1),
  stepId: z.string().min(1),
  target: z.string().regex(/^[a-z][a-z0-9_]*$/, 'target names are a-z, 0-9 and "_"'),
  commandId: z.uuid(),
};

/** Runs an `api` step: the canary, step by step, until 100 % is on the new version or a step fails. */
export const RunApiStep = defineCommand('api.start', 1, z.object(StepRef));
/** Puts 100 % of the step's traffic back on its `from` version. */
export const RollbackApiStep = defineCommand('api.rollback', 1, z.object(StepRef));

const Fact = { migrationId: z.string(), stepId: z.string(), service: z.string() };
const Shares = z.record(z.string(), z.number().min(0).max(100));

/** One version's traffic in a judged canary window. */
export const VersionTraffic = z.object({
  version: z.string(),
  requests: z.number().int().nonnegative(),
  serverErrors: z.number().int().nonnegative(),
  /** Responses of the new version that broke its OpenAPI document (sampled); 0 for the old one. */
  contractViolations: z.number().int().nonnegative(),
  medianLatencyMs: z.number().nullable(),
});

/** Traffic moved to a canary step's shares (the router applied them). */
export const ApiTrafficShifted = defineEvent('ApiTrafficShifted', 1, z.object({ ...Fact, canaryStep: z.number().int().nonnegative(), shares: Shares }));

/** A canary step judged: the new version against the old in the same window. */
export const ApiCanaryJudged = defineEvent(
  'ApiCanaryJudged',
  1,
  z.object({
    ...Fact,
    canaryStep: z.number().int().nonnegative(),
    shares: Shares,
    verdict: z.enum(['pass', 'fail', 'insufficient']),
    traffic: z.array(VersionTraffic),
    /** The judge's sentences, one per rule (latency, errors, contract). */
    reasons: z.array(z.string()),
  }),
);

/** Every canary step passed: the new version serves 100 %. The step succeeded (traffic stays there). */
export const ApiStepPromoted = defineEvent('ApiStepPromoted', 1, z.object({ ...Fact, shares: Shares, durationMs: z.number() }));

export const ApiStepFailed = defineEvent(
  'ApiStepFailed',
  1,
  z.object({ ...Fact, phase: z.enum(['canary', 'rollback']), code: z.string(), message: z.string(), shares: Shares.nullable() }),
);

/** 100 % back on `from`: the step's compensation. */
export const ApiStepRolledBack = defineEvent('ApiStepRolledBack', 1, z.object({ ...Fact, shares: Shares, durationMs: z.number() }));
