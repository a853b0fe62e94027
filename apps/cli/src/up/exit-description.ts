export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `exited with code 1` / `was killed by SIGKILL`: how a child's end reads in an error line. */
export function describeExit({ code, signal }: ExitStatus): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
}

/** A log line short enough to quote in a one-line error. */
export function clip(line: string, max = 300): string {
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
