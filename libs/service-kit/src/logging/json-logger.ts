import type { LoggerService } from '@nestjs/common';
import { logRecord, type LogLevel } from './log-record';

export type LineWriter = (line: string) => void;

const toStdout: LineWriter = (line) => process.stdout.write(line);

/** One JSON object per line on stdout: what a log shipper (or `bascule up`) reads. */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly write: LineWriter = toStdout,
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.emit('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params);
  }

  private emit(level: LogLevel, message: unknown, params: unknown[]): void {
    this.write(`${JSON.stringify(logRecord(this.service, level, message, params))}\n`);
  }
}
