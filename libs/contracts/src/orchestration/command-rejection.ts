import { z } from 'zod';
import { defineEvent } from '../message-definition';

/** Stream of every refused agent command: one stream, whatever migration id the message named. */
export const COMMAND_REJECTIONS_STREAM = 'command-rejections';

/**
 * An agent refused a command its migration's events never asked for (ran nothing). Only the
 * message's identifying fields are kept, each clipped, never its body: a forged message cannot grow
 * the log by more than this.
 */
export const CommandRejected = defineEvent(
  'CommandRejected',
  1,
  z.object({
    command: z.string().max(100),
    migrationId: z.string().max(200),
    /** The step a step command named; null for `verify.baseline` and `verify.compare`, which name a label, and for `monitor.baseline`, which names neither. */
    stepId: z.string().max(200).nullable(),
    /** The label a `verify.baseline` or `verify.compare` named; null for step commands (absent from rejections recorded before verify commands were bound). */
    label: z.string().max(200).nullable().default(null),
    commandId: z.string().max(100),
    code: z.enum([
      'unknown_migration',
      'unknown_step',
      'unknown_label',
      'not_dispatched',
      'not_completing',
      'not_in_rollback',
      'phase_not_started',
      'phase_unfinished',
      'not_rolled_back',
      'not_started',
    ]),
    message: z.string().max(1000),
  }),
);
