import { EventPattern, RpcException } from '@nestjs/microservices';
import type { z } from 'zod';
import { commandPattern, IDEMPOTENT_BY_ITSELF_EXTRA, PAYLOAD_SCHEMA_EXTRA } from './bus-route';

/** A contract definition (`defineCommand` / `defineEvent` from @bascule/contracts) or just a name. */
type Named = string | { name: string; schema: z.ZodType };

export interface BusHandlerOptions {
  /** Validates the payload (a command) or the envelope's `data` (an event); default: the definition's schema. */
  schema?: z.ZodType;
  /**
   * The handler is idempotent by itself — it decides from stored state, or keeps its own ledger of
   * what it did — so the server does not look each message up in, and record it to, the
   * processed-message store. Leave it off unless a redelivered message provably does nothing twice.
   */
  idempotentByItself?: boolean;
}

type SchemaOrOptions = z.ZodType | BusHandlerOptions;

/**
 * Marks a method as THE handler of command `name` (work queue: one handler per command across the
 * system; copies of the service share the work). With a schema (or a contract definition) the
 * payload is validated before the method is called and an invalid one is dead-lettered at once.
 *
 *   @CommandHandler('rollback', RollbackCommandSchema)
 *   rollback(@Payload() command: RollbackCommand, @Ctx() ctx: JetStreamContext) { ... }
 */
export function CommandHandler(command: Named, options?: SchemaOrOptions): MethodDecorator {
  const { name, extras } = resolve(command, options);
  return busHandler(commandPattern(name), extras);
}

/**
 * Marks a method as a handler of event type `type` (each service with a handler gets each event
 * once). The handler receives the relay's envelope `{eventId, type, streamId, data, metadata, ...}`;
 * a schema (the contract's `defineEvent` schema) validates its `data`.
 */
export function EventHandler(event: Named, options?: SchemaOrOptions): MethodDecorator {
  const { name, extras } = resolve(event, options);
  return busHandler(name, extras);
}

/** A zod schema has `safeParse`; options are a plain object. */
function isSchema(value: SchemaOrOptions): value is z.ZodType {
  return typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

function resolve(named: Named, given?: SchemaOrOptions): { name: string; extras: Record<string, unknown> } {
  const options: BusHandlerOptions = given === undefined ? {} : isSchema(given) ? { schema: given } : given;
  const name = typeof named === 'string' ? named : named.name;
  const schema = options.schema ?? (typeof named === 'string' ? undefined : named.schema);
  return {
    name,
    extras: {
      ...(schema ? { [PAYLOAD_SCHEMA_EXTRA]: schema } : {}),
      ...(options.idempotentByItself ? { [IDEMPOTENT_BY_ITSELF_EXTRA]: true } : {}),
    },
  };
}

/**
 * Nest's default RPC exception filter turns any non-RpcException into "Internal server error",
 * which would leave dead letters without their cause. Wrapping the method so its error travels as
 * `RpcException(error)` keeps the original error (Nest passes an object error through unchanged).
 * Metadata set on the method by decorators applied earlier (guards, interceptors) is copied over.
 */
function busHandler(pattern: string, extras: Record<string, unknown>): MethodDecorator {
  return (target, key, descriptor) => {
    const original = descriptor.value as unknown as (...args: unknown[]) => unknown;
    const wrapped = async function (this: unknown, ...args: unknown[]) {
      try {
        return await original.apply(this, args);
      } catch (error) {
        throw error instanceof RpcException ? error : new RpcException(error as object);
      }
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    for (const metadataKey of Reflect.getMetadataKeys(original)) {
      Reflect.defineMetadata(metadataKey, Reflect.getMetadata(metadataKey, original), wrapped);
    }
    (descriptor as PropertyDescriptor).value = wrapped;
    return EventPattern(pattern, extras)(target, key, descriptor);
  };
}
