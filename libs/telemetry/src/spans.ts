import { ROOT_CONTEXT, SpanStatusCode, context, trace, type Attributes, type SpanOptions, type Span } from '@opentelemetry/api';
import { extractTraceContext } from './trace-headers';

const tracer = () => trace.getTracer('bascule');

/** The trace id of the active span, or undefined outside a (valid) span. */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/**
 * Runs `fn` inside a new active span, ending it when `fn` settles. A thrown error is recorded on the
 * span and rethrown unchanged: tracing never swallows or rewrites a failure.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
  options: SpanOptions = {},
): Promise<T> {
  return tracer().startActiveSpan(name, { ...options, attributes: { ...options.attributes, ...attributes } }, async (span) => {
    try {
      const result = await fn(span);
      span.setStatus({ code: SpanStatusCode.OK });
      return result;
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `fn` in a new span whose parent is the span a stored `traceparent` names — work that no
 * message or request carries into a migration's trace (a timer, a window of the monitor, a REST
 * command on an existing migration) joins it this way. Without one, the span starts a trace.
 */
export function withSpanUnder<T>(
  traceparent: string | undefined,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
  options: SpanOptions = {},
): Promise<T> {
  const parent = traceparent ? extractTraceContext({ traceparent }, ROOT_CONTEXT) : ROOT_CONTEXT;
  return context.with(parent, () => withSpan(name, attributes, fn, options));
}
