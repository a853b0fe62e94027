import type { StoredEvent } from '../event';

/**
 * Transactions that may still be inserting into `bascule.events`, by virtual transaction id (see
 * inFlightAppenders): the only ones a relay ever waits for.
 */
export type AppenderSet = ReadonlySet<string>;

/** Positions not read yet below the furthest read one, with the appenders in flight when first asked about them. */
interface Gap {
  from: bigint;
  to: bigint;
  /** Asked after the read that found the gap; null until then. */
  watchedAppenders: AppenderSet | null;
  /** Every watched appender has ended: dead unless the next read sees it. */
  expiring: boolean;
}

/**
 * What the relay has published, as positions. Every committed event is published as soon as a read
 * sees it, in position order within that read; a position a read does not see below the furthest
 * one seen is a gap: an append still in flight, or a position burned by a rolled-back insert.
 * Only the checkpoint waits at gaps, never the events after them.
 *
 * A gap is proven dead, not timed out. Every insert takes `RowExclusiveLock` on `bascule.events`
 * before its identity default draws a position, and keeps it to its end. So the transaction that
 * drew a gap's position held that lock before the read that found the gap (a later position was
 * already committed there): asked right after that read, it is among the in-flight appenders or has
 * ended. Once none of those appenders is in flight any more, a read taken after asking sees the
 * position if it was committed; if not, it never will be. Transactions that never insert into the
 * log (a target's write load, a batch job in another database) are never waited for.
 *
 * Pure state: the relay asks the database (inFlightAppenders, readRelayPage) and feeds the answers in.
 */
export class RelayFrontier {
  private readThrough: bigint;
  private gaps: Gap[] = [];

  constructor(checkpoint: bigint) {
    this.readThrough = checkpoint;
  }

  /** Every position at or below it is published or dead: where a restarted relay resumes. */
  get checkpoint(): bigint {
    return this.gaps.length ? this.gaps[0].from - 1n : this.readThrough;
  }

  /** New events are read after this position. */
  get readAfter(): bigint {
    return this.readThrough;
  }

  get hasGaps(): boolean {
    return this.gaps.length > 0;
  }

  /** The gaps as inclusive ranges, to read again. */
  gapRanges(): Array<{ from: bigint; to: bigint }> {
    return this.gaps.map(({ from, to }) => ({ from, to }));
  }

  /**
   * Takes the appenders in flight, asked before the next read: gaps found by the last read watch
   * them; a gap none of whose watched appenders is among them is dead unless that read sees it.
   */
  noteAppenders(inFlight: AppenderSet): void {
    for (const gap of this.gaps) {
      gap.watchedAppenders ??= inFlight;
      gap.expiring = ![...gap.watchedAppenders].some((id) => inFlight.has(id));
    }
  }

  /**
   * Takes one read (new events after readAfter and whatever it found in the gaps, in one
   * snapshot): returns the events to publish, in position order, and moves the frontier.
   */
  absorb(events: readonly StoredEvent[]): StoredEvent[] {
    const sorted = [...events].sort((a, b) => (a.globalPosition < b.globalPosition ? -1 : a.globalPosition > b.globalPosition ? 1 : 0));
    const fresh: StoredEvent[] = [];
    for (const event of sorted) {
      const position = event.globalPosition;
      if (position > this.readThrough) {
        if (position > this.readThrough + 1n) this.gaps.push({ from: this.readThrough + 1n, to: position - 1n, watchedAppenders: null, expiring: false });
        this.readThrough = position;
        fresh.push(event);
      } else if (this.fill(position)) {
        fresh.push(event);
      }
    }
    // What an expiring gap still holds after this read was never committed, and never will be.
    this.gaps = this.gaps.filter((gap) => !gap.expiring);
    return fresh;
  }

  /** Removes a position from the gap that holds it; false when no gap holds it (already published). */
  private fill(position: bigint): boolean {
    const index = this.gaps.findIndex((gap) => gap.from <= position && position <= gap.to);
    if (index < 0) return false;
    const gap = this.gaps[index];
    const pieces: Gap[] = [];
    if (gap.from < position) pieces.push({ ...gap, to: position - 1n });
    if (position < gap.to) pieces.push({ ...gap, from: position + 1n });
    this.gaps.splice(index, 1, ...pieces);
    return true;
  }
}
