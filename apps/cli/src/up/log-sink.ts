import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** Receives every line a child writes (stdout and stderr) and closes when `up` ends. */
export interface LogSink {
  line(service: string, text: string): void;
  close(): Promise<void>;
}

/** `planner          | {"level":"info",...}` on up's own stdout, aligned on the longest name. */
export function prefixedStdoutSink(names: readonly string[], out: NodeJS.WritableStream = process.stdout): LogSink {
  const width = Math.max(...names.map((name) => name.length));
  return {
    line: (service, text) => void out.write(`${service.padEnd(width)} | ${text}\n`),
    close: async () => undefined,
  };
}

/** One file per service, `<dir>/<service>.log`, appended to (a restart keeps the previous run's lines). */
export function fileSink(dir: string): LogSink {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, WriteStream>();
  const fileFor = (service: string): WriteStream => {
    let file = files.get(service);
    if (!file) {
      file = createWriteStream(join(dir, `${service}.log`), { flags: 'a' });
      files.set(service, file);
    }
    return file;
  };
  return {
    line: (service, text) => void fileFor(service).write(`${text}\n`),
    close: () => Promise.all([...files.values()].map((file) => new Promise<void>((done) => file.end(done)))).then(() => undefined),
  };
}
