import { startTelemetry } from '@bascule/telemetry/sdk';
import { context, trace } from '@opentelemetry/api';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonLogger } from './json-logger';
import { logRecord } from './log-record';

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('logRecord', () => {
  it('takes the context from the last string param, as Nest passes it', () => {
    expect(logRecord('planner', 'info', 'listening', ['Bootstrap'], NOW)).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      level: 'info',
      service: 'planner',
      context: 'Bootstrap',
      msg: 'listening',
    });
  });

  it('keeps the stack of error(message, stack, context) apart from the message', () => {
    const record = logRecord('monitor', 'error', 'boom', ['Error: boom\n    at x', 'Health'], NOW);
    expect(record).toMatchObject({ level: 'error', msg: 'boom', context: 'Health', stack: 'Error: boom\n    at x' });
  });

  it('does not mistake a lone stack for a context', () => {
    const record = logRecord('monitor', 'error', 'boom', ['Error: boom\n    at x'], NOW);
    expect(record.context).toBeUndefined();
    expect(record.stack).toBe('Error: boom\n    at x');
  });

  it('logs an object message as data with its message text', () => {
    expect(logRecord('planner', 'warn', { message: 'slow', ms: 900 }, [], NOW)).toMatchObject({
      msg: 'slow',
      data: { message: 'slow', ms: 900 },
    });
  });

  it('adds the trace id of the active span, and none outside a span', async () => {
    const stopTelemetry = startTelemetry('log-record.spec', { spanProcessors: [new NoopSpanProcessor()] });
    try {
      const span = trace.getTracer('log-record.spec').startSpan('work');
      const inside = context.with(trace.setSpan(context.active(), span), () => logRecord('planner', 'info', 'x', [], NOW));
      span.end();
      expect(inside.traceId).toBe(span.spanContext().traceId);
      expect(inside.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(logRecord('planner', 'info', 'x', [], NOW).traceId).toBeUndefined();
    } finally {
      await stopTelemetry();
    }
  });
});

describe('JsonLogger', () => {
  it('writes exactly one parseable JSON object per line', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('api-agent', (line) => lines.push(line));
    logger.log('one', 'Ctx');
    logger.error('two\nlines', undefined, 'Ctx');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
    }
    expect(JSON.parse(lines[1])).toMatchObject({ level: 'error', service: 'api-agent', context: 'Ctx', msg: 'two\nlines' });
  });
});
