import { ROOT_CONTEXT, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentTraceId, withSpan } from '../spans';
import { startTelemetry, type TelemetryShutdown } from './start-telemetry';
import { extractTraceContext, injectTraceHeaders } from '../trace-headers';

describe('telemetry', () => {
  const spans = new InMemorySpanExporter();
  let shutdown: TelemetryShutdown;

  beforeAll(() => {
    shutdown = startTelemetry('telemetry-test', { spanProcessors: [new SimpleSpanProcessor(spans)] });
  });
  afterAll(() => shutdown());

  it('has no trace id outside a span, and the span’s inside one, across awaits', async () => {
    expect(currentTraceId()).toBeUndefined();
    const seen = await withSpan('outer', { 'bascule.migration_id': 'm-1' }, async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { inside: currentTraceId(), own: span.spanContext().traceId };
    });
    expect(seen.inside).toBe(seen.own);
    expect(seen.inside).toMatch(/^[0-9a-f]{32}$/);
    const recorded = spans.getFinishedSpans().find((span) => span.name === 'outer');
    expect(recorded?.attributes['bascule.migration_id']).toBe('m-1');
    expect(recorded?.resource.attributes['service.name']).toBe('telemetry-test');
  });

  it('records a failure on the span and rethrows it unchanged', async () => {
    const failure = new Error('backfill stalled');
    await expect(withSpan('failing', {}, () => Promise.reject(failure))).rejects.toBe(failure);
    const recorded = spans.getFinishedSpans().find((span) => span.name === 'failing');
    expect(recorded?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'backfill stalled' });
    expect(recorded?.events.map((event) => event.name)).toContain('exception');
  });

  it('carries the trace through W3C headers: inject in one context, extract into another', async () => {
    const { headers, traceId } = await withSpan('producer', {}, async () => ({ headers: injectTraceHeaders(), traceId: currentTraceId() }));
    expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // Header names from other senders may differ in case, and values may come as arrays (NATS headers).
    const remote = extractTraceContext({ TraceParent: [headers.traceparent] }, ROOT_CONTEXT);
    const childTraceId = await context.with(remote, () => withSpan('consumer', {}, async () => currentTraceId()));
    expect(childTraceId).toBe(traceId);
    expect(trace.getSpanContext(extractTraceContext({}, ROOT_CONTEXT))).toBeUndefined();
    expect(injectTraceHeaders({}, ROOT_CONTEXT)).toEqual({});
  });
});
