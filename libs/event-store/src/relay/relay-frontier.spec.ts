import type { StoredEvent } from '../event';
import { RelayFrontier } from './relay-frontier';

function at(...positions: number[]): StoredEvent[] {
  return positions.map((p) => ({
    globalPosition: BigInt(p),
    transactionId: 1000n + BigInt(p),
    streamId: `s-${p}`,
    streamVersion: 1,
    eventId: `e-${p}`,
    type: 'StepCompleted',
    data: {},
    metadata: {},
    recordedAt: new Date(0),
  }));
}

const positions = (events: StoredEvent[]) => events.map((e) => Number(e.globalPosition));
const appenders = (...ids: string[]) => new Set(ids);

describe('RelayFrontier', () => {
  it('publishes past a gap at once and holds only the checkpoint there', () => {
    const frontier = new RelayFrontier(10n);
    expect(positions(frontier.absorb(at(11, 14, 12)))).toEqual([11, 12, 14]);
    expect(frontier.readAfter).toBe(14n);
    expect(frontier.checkpoint).toBe(12n);
    expect(frontier.gapRanges()).toEqual([{ from: 13n, to: 13n }]);
  });

  it('publishes a gap once its append commits, and the checkpoint moves past it', () => {
    const frontier = new RelayFrontier(0n);
    frontier.absorb(at(1, 5));
    frontier.noteAppenders(appenders('3/7'));
    expect(positions(frontier.absorb(at(3, 6)))).toEqual([3, 6]);
    expect(frontier.gapRanges()).toEqual([
      { from: 2n, to: 2n },
      { from: 4n, to: 4n },
    ]);
    expect(frontier.checkpoint).toBe(1n);
    frontier.noteAppenders(appenders('3/7'));
    expect(positions(frontier.absorb(at(2, 4)))).toEqual([2, 4]);
    expect(frontier.hasGaps).toBe(false);
    expect(frontier.checkpoint).toBe(6n);
  });

  it('keeps a gap while an appender that was in flight when it was found is still in flight', () => {
    const frontier = new RelayFrontier(0n);
    frontier.absorb(at(1, 3));
    frontier.noteAppenders(appenders('3/7', '4/2'));
    frontier.absorb([]);
    // 4/2 ended, 3/7 (maybe the gap's owner) still runs; a newer appender does not matter.
    frontier.noteAppenders(appenders('3/7', '5/1'));
    frontier.absorb([]);
    expect(frontier.gapRanges()).toEqual([{ from: 2n, to: 2n }]);
    expect(frontier.checkpoint).toBe(1n);
  });

  it('drops a gap as dead once its watched appenders ended and a read after that still misses it', () => {
    const frontier = new RelayFrontier(0n);
    frontier.absorb(at(1, 4));
    frontier.noteAppenders(appenders('3/7'));
    frontier.absorb([]);
    expect(frontier.checkpoint).toBe(1n);
    frontier.noteAppenders(appenders('5/1'));
    expect(positions(frontier.absorb(at(5)))).toEqual([5]);
    expect(frontier.hasGaps).toBe(false);
    expect(frontier.checkpoint).toBe(5n);
  });

  it('with no appender in flight when asked, the very next read decides', () => {
    const frontier = new RelayFrontier(0n);
    frontier.absorb(at(3));
    frontier.noteAppenders(appenders());
    expect(positions(frontier.absorb(at(2)))).toEqual([2]);
    expect(frontier.hasGaps).toBe(false);
    expect(frontier.checkpoint).toBe(3n);
  });

  it('never drops a gap before it has watched the appenders asked after the read that found it', () => {
    const frontier = new RelayFrontier(0n);
    frontier.absorb(at(1, 3));
    // No noteAppenders between the reads: the gap stays, whatever the reads say.
    frontier.absorb(at(4));
    expect(frontier.gapRanges()).toEqual([{ from: 2n, to: 2n }]);
  });

  it('drops the unfilled pieces of a dying gap that a read filled in part', () => {
    const frontier = new RelayFrontier(0n);
    frontier.absorb(at(10));
    frontier.noteAppenders(appenders());
    expect(positions(frontier.absorb(at(4)))).toEqual([4]);
    expect(frontier.hasGaps).toBe(false);
    expect(frontier.checkpoint).toBe(10n);
  });

  it('ignores an event it already published', () => {
    const frontier = new RelayFrontier(0n);
    frontier.absorb(at(1, 2));
    expect(frontier.absorb(at(2))).toEqual([]);
    expect(frontier.checkpoint).toBe(2n);
  });
});
