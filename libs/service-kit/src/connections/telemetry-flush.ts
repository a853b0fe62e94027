import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { TELEMETRY_SHUTDOWN } from '../service-kit.constants';

export type TelemetryShutdownFn = () => Promise<void>;

/** Exports the spans still buffered before the process exits; a lost last span is a lost clue. */
@Injectable()
export class TelemetryFlush implements OnApplicationShutdown {
  constructor(@Inject(TELEMETRY_SHUTDOWN) private readonly shutdown: TelemetryShutdownFn) {}

  async onApplicationShutdown(): Promise<void> {
    await this.shutdown();
  }
}
