import { PolledSource, type Sample } from './sample-buffer';

const REQUEST_TIMEOUT_MS = 5_000;

interface InstantQueryResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: 'vector' | 'scalar' | 'matrix' | 'string'; result: unknown };
}

/** The one number an instant query answered, or why it is not one (no series, several series, NaN). */
export function instantValue(response: InstantQueryResponse): { value: number } | { problem: string } {
  if (response.status !== 'success' || !response.data) return { problem: response.error ?? 'the query failed' };
  const { resultType, result } = response.data;
  if (resultType === 'scalar') return finite(Number((result as [number, string])[1]));
  if (resultType !== 'vector') return { problem: `the query returns a ${resultType}, not one number` };
  const series = result as Array<{ value: [number, string] }>;
  if (series.length === 0) return { problem: 'the query returns no series' };
  if (series.length > 1) return { problem: `the query returns ${series.length} series; aggregate them to one (sum, max, histogram_quantile ...)` };
  return finite(Number(series[0].value[1]));
}

function finite(value: number): { value: number } | { problem: string } {
  return Number.isFinite(value) ? { value } : { problem: `the query returns ${value}` };
}

/**
 * A PromQL expression over the application's own metrics, asked of Prometheus' HTTP API
 * (`GET /api/v1/query`) every tick: each answer one sample; an error or a non-number a failed one.
 */
export class PrometheusSource extends PolledSource {
  /** The last reason a query gave no number, for the analysis to report. */
  lastProblem: string | null = null;

  constructor(
    name: string,
    private readonly url: string,
    private readonly query: string,
    everyMs: number,
    keepMs: number,
  ) {
    super(name, everyMs, keepMs);
  }

  protected async read(): Promise<Sample> {
    const outcome = await this.ask();
    if ('value' in outcome) {
      this.lastProblem = null;
      return { at: Date.now(), value: outcome.value, failed: false };
    }
    this.lastProblem = outcome.problem;
    return { at: Date.now(), value: Number.NaN, failed: true };
  }

  private async ask(): Promise<{ value: number } | { problem: string }> {
    const endpoint = new URL('/api/v1/query', this.url);
    endpoint.searchParams.set('query', this.query);
    let response: Response;
    try {
      response = await fetch(endpoint, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      // fetch's own message is a bare "fetch failed"; the cause says why (connection refused, DNS ...).
      // Not `instanceof Error`: undici's errors come from another realm under jest's sandbox.
      const { message, cause } = error as Error & { cause?: { message?: unknown } };
      return { problem: `Prometheus at ${this.url} did not answer: ${typeof cause?.message === 'string' ? cause.message : message}` };
    }
    try {
      return instantValue((await response.json()) as InstantQueryResponse);
    } catch {
      return { problem: `${this.url} answered HTTP ${response.status} without a query result; is it a Prometheus server?` };
    }
  }
}
