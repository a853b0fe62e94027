import { EventPattern, RpcException } from '@nestjs/microservices';
import type { z } from 'zod';
import { commandPattern, PAYLOAD_SCHEMA_EXTRA } from './bus-route';

/** A contract definition (`defineCommand` / `defineEvent` from @bascule/contracts) or just a name. */
type Named = string | { name: string; schema: z.ZodType };

/**
 * Marks a method as THE handler of command `name` (work queue: one handler per command across the
 * system; copies of the service share the work). With a schema (or a contract definition) the
 * payload is validated before the method is called and an invalid one is dead-lettered at once.
 *
 *   @CommandHandler('rollback', RollbackCommandSchema)
 *   rollback(@Payload() command: RollbackCommand, @Ctx() ctx: JetStreamContext) { ... }
 */
export function CommandHandler(command: Named, schema?: z.ZodType): MethodDecorator {
  const { name, payloadSchema } = resolve(command, schema);
  return busHandler(commandPattern(name), payloadSchema);
}

/**
 * Marks a method as a handler of event type `type` (each service with a handler gets each event
 * once). The handler receives the relay's envelope `{eventId, type, streamId, data, metadata, ...}`;
 * a schema (the contract's `defineEvent` schema) validates its `data`.
 */
export function EventHandler(event: Named, schema?: z.ZodType): MethodDecorator {
  const { name, payloadSchema } = resolve(event, schema);
  return busHandler(name, payloadSchema);
}

function resolve(named: Named, schema?: z.ZodType): { name: string; payloadSchema?: z.ZodType } {
  return typeof named === 'string' ? { name: named, payloadSchema: schema } : { name: named.name, payloadSchema: schema ?? named.schema };
}

/**
 * Nest's default RPC exception filter turns any non-RpcException into "Internal server error",
 * which would leave dead letters without their cause. Wrapping the method so its error travels as
 * `RpcException(error)` keeps the original error (Nest passes an object error through unchanged).
 * Metadata set on the method by decorators applied earlier (guards, interceptors) is copied over.
 */
function busHandler(pattern: string, schema?: z.ZodType): MethodDecorator {
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
    return EventPattern(pattern, schema ? { [PAYLOAD_SCHEMA_EXTRA]: schema } : {})(target, key, descriptor);
  };
}
