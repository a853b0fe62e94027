import type { FoldableEvent } from '@bascule/orchestration';

/** The planner answered something other than what the demo asked for; `status` is the HTTP status. */
export class PlannerRequestError extends Error {
  readonly code = 'PLANNER_REQUEST_FAILED';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | null,
    readonly body: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${path} ${status === null ? 'got no answer' : `answered ${status}`}: ${body.slice(0, 500)}`, options);
    this.name = 'PlannerRequestError';
  }
}

export interface PlannerResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

/** ARCHITECTURE.md "Planner REST API" status projection (contract part), extra fields kept as they come. */
export interface MigrationProjection {
  id: string;
  name: string;
  status: string;
  phases: Array<{ name: string; status: string; steps: Array<{ id: string; status: string; [field: string]: unknown }> }>;
  [field: string]: unknown;
}

export interface PostedMigration {
  id: string;
  status: string;
  plan: unknown;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The planner's REST API as its users call it (curl in the README), naming themselves in
 * `X-Bascule-User` (heeded only while authentication is off) and, given a `token`, proving who they
 * are with `Authorization: Bearer` (BASCULE_TOKENS_FILE or OIDC, docs/security.md).
 */
export class PlannerClient {
  constructor(
    readonly baseUrl: string,
    private readonly actor = 'demo',
    private readonly token?: string,
  ) {}

  /** POST /migrations with a YAML or JSON spec; any status is returned (a 400 is an answer, not an error). */
  async postSpec(spec: string | object, options: { dryRun?: boolean; idempotencyKey?: string } = {}): Promise<PlannerResponse> {
    const yaml = typeof spec === 'string';
    const headers: Record<string, string> = { 'content-type': yaml ? 'application/yaml' : 'application/json' };
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    return this.request('POST', `/migrations${options.dryRun ? '?dryRun=true' : ''}`, yaml ? spec : JSON.stringify(spec), headers);
  }

  /** POST /migrations, expecting 201. */
  async plan(spec: string | object): Promise<PostedMigration> {
    return (await this.expect(201, () => this.postSpec(spec), 'POST', '/migrations')) as PostedMigration;
  }

  async command(id: string, action: 'start' | 'pause' | 'resume' | 'complete' | 'rollback', body: object = {}): Promise<PlannerResponse> {
    return this.request('POST', `/migrations/${encodeURIComponent(id)}/${action}`, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  /** A command that must be accepted (202). */
  async send(id: string, action: 'start' | 'pause' | 'resume' | 'complete' | 'rollback', body: object = {}): Promise<void> {
    await this.expect(202, () => this.command(id, action, body), 'POST', `/migrations/${id}/${action}`);
  }

  async get(id: string): Promise<MigrationProjection> {
    return (await this.expect(200, () => this.request('GET', `/migrations/${encodeURIComponent(id)}`), 'GET', `/migrations/${id}`)) as MigrationProjection;
  }

  async list(): Promise<PlannerResponse> {
    return this.request('GET', '/migrations');
  }

  /** GET /migrations/:id/events, in the shape `foldMigration` reads. */
  async events(id: string): Promise<FoldableEvent[]> {
    const body = await this.expect(200, () => this.request('GET', `/migrations/${encodeURIComponent(id)}/events`), 'GET', `/migrations/${id}/events`);
    const list = Array.isArray(body) ? body : ((body as { events?: unknown[] }).events ?? []);
    return list.map(toFoldable);
  }

  /** GET /migrations/:id/report: the Markdown report. */
  async report(id: string): Promise<string> {
    const path = `/migrations/${encodeURIComponent(id)}/report`;
    const response = await this.request('GET', path);
    if (response.status !== 200) throw new PlannerRequestError('GET', path, response.status, response.text);
    return response.text;
  }

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<PlannerResponse> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        body,
        headers: { 'x-bascule-user': this.actor, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new PlannerRequestError(method, path, null, error instanceof Error ? error.message : String(error), { cause: error });
    }
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed, text };
  }

  private async expect(status: number, call: () => Promise<PlannerResponse>, method: string, path: string): Promise<unknown> {
    const response = await call();
    if (response.status !== status) throw new PlannerRequestError(method, path, response.status, response.text);
    return response.body;
  }
}

/** Stored events as JSON: versions and times may come as `streamVersion`/`recordedAt` or snake_case. */
function toFoldable(raw: unknown): FoldableEvent {
  const event = raw as Record<string, unknown>;
  return {
    type: String(event.type),
    data: event.data,
    streamVersion: Number(event.streamVersion ?? event.stream_version ?? event.version),
    recordedAt: new Date(String(event.recordedAt ?? event.recorded_at)),
  };
}
