import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

export type TelemetryShutdown = () => Promise<void>;

export interface TelemetryOptions {
  /**
   * Extra span processors (tests pass a SimpleSpanProcessor over an InMemorySpanExporter). When
   * given, they replace the default choice of exporter.
   */
  spanProcessors?: SpanProcessor[];
  /** Defaults to `OTEL_EXPORTER_OTLP_ENDPOINT`; unset means spans are created but not exported. */
  otlpEndpoint?: string;
  /**
   * Incoming HTTP requests that start (or join) a trace. Default: none — a service's `/health` and
   * `/metrics`, and the traffic an embedded API router carries, are not the migration's story.
   */
  traceIncoming?: (request: { method?: string; url?: string }) => boolean;
}

let running: { shutdown: TelemetryShutdown } | undefined;

/**
 * Starts tracing for one service process: W3C trace-context propagation, an async-local context
 * manager (so the active span follows `await`), and an OTLP/HTTP exporter when an endpoint is
 * configured. Without an endpoint a no-op processor still makes the SDK register a real tracer
 * provider — otherwise spans would be non-recording with all-zero trace ids and nothing could be
 * correlated in logs or event metadata.
 *
 * Metrics and logs from env are switched off explicitly: NodeSDK would otherwise default them to
 * OTLP exporters that retry against localhost:4318 forever. Prometheus metrics come from prom-client.
 *
 * Starting twice in one process returns the first shutdown function: the OTel API globals can only
 * be registered once.
 */
export function startTelemetry(serviceName: string, options: TelemetryOptions = {}): TelemetryShutdown {
  if (running) return running.shutdown;
  const sdk = new NodeSDK({
    serviceName,
    textMapPropagator: new W3CTraceContextPropagator(),
    spanProcessors: options.spanProcessors ?? defaultSpanProcessors(options.otlpEndpoint),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // Postgres calls are spans only inside a span of ours: the relay's and the pollers' queries alone are not traced.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => !(options.traceIncoming?.(request) ?? false),
        // Semantic conventions name a server span "{method} {route}"; with no router instrumentation the path is the route.
        requestHook: (span, request) => {
          if (!('headers' in request) || 'setHeader' in request) return;
          const route = request.url?.split('?')[0] ?? '';
          span.updateName(`${request.method ?? 'GET'} ${route}`);
          span.setAttribute('http.route', route);
        },
        requireParentforOutgoingSpans: true,
      }),
    ],
  });
  sdk.start();
  patchLoadedModules();
  const shutdown: TelemetryShutdown = async () => {
    if (running?.shutdown !== shutdown) return;
    running = undefined;
    await sdk.shutdown();
    // Releases the globals so a later startTelemetry in the same process (tests) can register again.
    trace.disable();
    context.disable();
    propagation.disable();
  };
  running = { shutdown };
  return shutdown;
}

/**
 * Instrumentations patch a module when it is required after they are enabled. A service has
 * loaded `pg` and `http` long before (its imports run first), so they are required once more
 * here: the hook then patches the shared module objects in place, for every importer.
 */
function patchLoadedModules(): void {
  for (const name of ['pg', 'http', 'https']) require(name);
}

function defaultSpanProcessors(endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT): SpanProcessor[] {
  if (!endpoint) return [new NoopSpanProcessor()];
  const url = endpoint.endsWith('/v1/traces') ? endpoint : `${endpoint.replace(/\/$/, '')}/v1/traces`;
  return [new BatchSpanProcessor(new OTLPTraceExporter({ url }))];
}
