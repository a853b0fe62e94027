import { currentTraceId, withSpan } from '../spans';
import { startTelemetry } from './start-telemetry';

describe('startTelemetry', () => {
  it('creates real trace ids even with no exporter configured', async () => {
    const shutdown = startTelemetry('no-exporter', { otlpEndpoint: '' });
    try {
      expect(await withSpan('work', {}, async () => currentTraceId())).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    } finally {
      await shutdown();
    }
  });
});
