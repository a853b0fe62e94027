/**
 * The few parts of Express's request and response the planner uses (the workspace carries no
 * @types/express; these match Express 5's API).
 */
export interface HttpRequest {
  method: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  on(event: 'close', listener: () => void): void;
}

export interface HttpResponse {
  headersSent: boolean;
  statusCode: number;
  status(code: number): HttpResponse;
  json(body: unknown): void;
  setHeader(name: string, value: string): void;
  write(chunk: string): boolean;
  end(chunk?: string): void;
  flushHeaders?(): void;
  on(event: 'close' | 'finish', listener: () => void): void;
  /** Express per-response scratch space: the idempotency interceptor reads `replayStatus` there. */
  locals: Record<string, unknown>;
}
