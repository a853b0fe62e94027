import type { NatsConnection } from 'nats';
import type { BusTopology } from '@bascule/messaging';

/**
 * Core-NATS subject (in no stream) on which an appender tells the relay "new events are
 * committed". Outside `<prefix>.evt.>` and `<prefix>.cmd.>`, so JetStream never stores it.
 */
export function relayWakeSubject(topology: BusTopology): string {
  return `${topology.prefix}.relay.wake`;
}

/**
 * Best effort, after the append committed: the relay holding the lease reads at once instead of
 * at its next idle poll. A lost wake costs one poll interval, never an event, so errors are
 * swallowed. Not sent from inside appendEvents on purpose: the append path stays free of anything
 * that serialises commits (a NOTIFY would take a global lock at every commit).
 */
export function wakeRelay(nc: NatsConnection | undefined, topology: BusTopology): void {
  if (!nc || nc.isClosed()) return;
  try {
    nc.publish(relayWakeSubject(topology));
  } catch {
    // Draining or disconnected: the poll picks the events up.
  }
}

/** Wakes that arrive while the relay is busy are kept, so it reads once more before sleeping. */
export class RelayWakeups {
  private pending = false;
  private wake: (() => void) | undefined;

  /** Records a wake; ends the current idle wait if there is one. */
  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Waits up to `ms`, or not at all if a wake came since the last wait; ends early on a wake or an abort. */
  idle(ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending || signal.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}
