import type { ChainVerification } from './verify-chains';

/** What `bascule events verify` prints and exits with: 0 when intact, 1 naming the first broken event. */
export function verificationReport(result: ChainVerification): { exitCode: 0 | 1; message: string } {
  if (result.ok) {
    const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
    return {
      exitCode: 0,
      message: `event store intact: ${plural(result.events, 'event')} in ${plural(result.streams, 'stream')}, every hash chain verified`,
    };
  }
  return {
    exitCode: 1,
    message:
      `event store TAMPERED: stream "${result.streamId}" version ${result.streamVersion} ` +
      `(global position ${result.globalPosition}): ${result.reason}`,
  };
}
