import { context, type Context, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * Trace context crosses process boundaries as W3C `traceparent` / `tracestate` (ARCHITECTURE.md,
 * "Messaging"). This propagator is used directly rather than the global one so that headers are
 * written the same way whether or not the SDK was started (a CLI, a test without SDK).
 */
const w3c = new W3CTraceContextPropagator();

export type TraceHeaders = Record<string, string>;

/** A carrier whose values may be repeated (NATS headers, HTTP headers). */
export type TraceCarrier = Record<string, string | string[] | undefined>;

const getter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const wanted = key.toLowerCase();
    const found = Object.keys(carrier).find((name) => name.toLowerCase() === wanted);
    return found === undefined ? undefined : carrier[found];
  },
};

/** Writes `traceparent` (and `tracestate` when present) of the active context into the carrier. */
export function injectTraceHeaders<T extends TraceHeaders>(carrier: T = {} as T, from: Context = context.active()): T {
  w3c.inject(from, carrier, {
    set: (target, key, value) => {
      (target as TraceHeaders)[key] = value;
    },
  });
  return carrier;
}

/** The context a remote caller's `traceparent` describes; the current context if there is none. */
export function extractTraceContext(carrier: TraceCarrier, base: Context = context.active()): Context {
  return w3c.extract(base, carrier, getter);
}

/** The trace id a `traceparent` names (W3C: version-traceid-spanid-flags), or undefined if it is not one. */
export function traceIdOf(traceparent: unknown): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent);
  return match && !/^0+$/.test(match[1]) ? match[1] : undefined;
}
