import { ROOT_CONTEXT, context } from '@opentelemetry/api';

/** One observation of a metric: when it was taken, its value, and whether the probe failed. */
export interface Sample {
  at: number;
  value: number;
  failed: boolean;
}

/** What a metric source does: samples on its own clock into a buffer the analysis drains by time. */
export interface MetricSource {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
  /** Every sample taken at or after `since` (epoch ms), oldest first; older ones are dropped. */
  takeSince(since: number): Sample[];
}

/** Keeps the samples of the last `keepMs` (the longest window anyone asks for). */
export class SampleBuffer {
  private samples: Sample[] = [];

  constructor(private readonly keepMs: number) {}

  push(sample: Sample): void {
    this.samples.push(sample);
    const horizon = sample.at - this.keepMs;
    if (this.samples.length > 0 && this.samples[0].at < horizon) this.samples = this.samples.filter((kept) => kept.at >= horizon);
  }

  since(since: number): Sample[] {
    return this.samples.filter((sample) => sample.at >= since);
  }
}

/** Runs `tick` every `everyMs` (never two at once: a slow tick delays the next), until stopped. */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly everyMs: number,
    private readonly tick: () => Promise<void>,
  ) {}

  start(): void {
    this.stopped = false;
    // Samples are read outside any trace: a probe a second would bury the migration's trace in queries.
    context.with(ROOT_CONTEXT, () => this.schedule(0));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const began = Date.now();
      this.running = this.tick()
        .catch(() => undefined)
        .finally(() => this.schedule(Math.max(0, this.everyMs - (Date.now() - began))));
    }, delayMs);
  }
}

/**
 * A source that reads one sample per tick: the buffer and the ticker are here, the reading in
 * `read` (null: nothing to record this tick, e.g. a rate's first reading).
 */
export abstract class PolledSource implements MetricSource {
  private readonly buffer: SampleBuffer;
  private readonly ticker: Ticker;

  constructor(
    readonly name: string,
    everyMs: number,
    keepMs: number,
  ) {
    this.buffer = new SampleBuffer(keepMs);
    this.ticker = new Ticker(everyMs, async () => {
      const sample = await this.read();
      if (sample) this.buffer.push(sample);
    });
  }

  start(): void {
    this.ticker.start();
  }

  stop(): Promise<void> {
    return this.ticker.stop();
  }

  takeSince(since: number): Sample[] {
    return this.buffer.since(since);
  }

  protected abstract read(): Promise<Sample | null>;
}
