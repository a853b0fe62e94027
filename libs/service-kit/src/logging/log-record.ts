import { trace } from '@opentelemetry/api';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'verbose';

export interface LogRecord {
  time: string;
  level: LogLevel;
  service: string;
  context?: string;
  msg: string;
  traceId?: string;
  stack?: string;
  data?: unknown;
}

/**
 * Nest calls `log(message, ...optionalParams)` with the context as the LAST string param, and
 * `error(message, stack?, context?)`: this splits those into one flat record.
 */
export function logRecord(service: string, level: LogLevel, message: unknown, params: unknown[], now = new Date()): LogRecord {
  const rest = [...params];
  const last = rest[rest.length - 1];
  // A multi-line string in last place is a stack (`error(message, stack)`), not a context name.
  const context = typeof last === 'string' && !last.includes('\n') ? (rest.pop() as string) : undefined;
  const record: LogRecord = { time: now.toISOString(), level, service, msg: messageText(message) };
  if (context !== undefined) record.context = context;
  const traceId = activeTraceId();
  if (traceId !== undefined) record.traceId = traceId;
  const stack = message instanceof Error ? message.stack : rest.find((param): param is string => typeof param === 'string');
  if (stack && level !== 'info') record.stack = stack;
  if (message !== null && typeof message === 'object' && !(message instanceof Error)) record.data = message;
  return record;
}

function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  if (message !== null && typeof message === 'object' && typeof (message as { message?: unknown }).message === 'string') {
    return (message as { message: string }).message;
  }
  return JSON.stringify(message) ?? String(message);
}

function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && trace.isSpanContextValid(context) ? context.traceId : undefined;
}
