import { z } from 'zod';

/** Metadata every stored event and every bus message may carry. */
export const MessageMetadata = z
  .object({
    correlationId: z.string().optional(),
    causationId: z.string().optional(),
    traceparent: z.string().optional(),
    tracestate: z.string().optional(),
    actor: z.string().optional(),
  })
  .catchall(z.unknown());
export type MessageMetadata = z.infer<typeof MessageMetadata>;
