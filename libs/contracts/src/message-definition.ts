import type { z } from 'zod';

/**
 * A message type shared across processes: its name, its schema version and its zod schema. The
 * TypeScript type is inferred from the schema (`MessageData<typeof X>`), never written twice.
 */
export interface MessageDefinition<N extends string, S extends z.ZodType> {
  /** Event type (past tense, `SchemaStepCompleted`) or command name (imperative, `schema.start`). */
  name: N;
  version: number;
  schema: S;
}

export type MessageData<D> = D extends MessageDefinition<string, infer S> ? z.infer<S> : never;

export function defineEvent<N extends string, S extends z.ZodType>(name: N, version: number, schema: S): MessageDefinition<N, S> {
  return { name, version, schema };
}

export function defineCommand<N extends string, S extends z.ZodType>(name: N, version: number, schema: S): MessageDefinition<N, S> {
  return { name, version, schema };
}
