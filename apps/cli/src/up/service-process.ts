import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { serviceNatsIdentity } from '@bascule/service-kit';
import type { ExitStatus } from './exit-description';
import type { LogSink } from './log-sink';
import type { PlannedService } from './service-plan';

/** One service running as a child process of `bascule up`: its pid, its last log line, its exit. */
export class ServiceProcess {
  readonly exited: Promise<ExitStatus>;
  private lastLine: string | undefined;
  private status: ExitStatus | undefined;
  private readonly child: ChildProcess;

  constructor(
    readonly service: PlannedService,
    distPaths: string,
    env: NodeJS.ProcessEnv,
    sink: LogSink,
  ) {
    this.child = spawn(process.execPath, ['-r', distPaths, service.entry], {
      env: { ...env, ...serviceNatsIdentity(service.name, env), PORT: String(service.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (text) => {
        if (text.trim() !== '') this.lastLine = text;
        sink.line(service.name, text);
      });
    }
    this.exited = new Promise((resolve) => {
      // 'close' (not 'exit') so the last lines on its pipes have been read before anyone asks for them.
      this.child.on('close', (code, signal) => resolve((this.status = { code, signal })));
      this.child.on('error', () => resolve((this.status = { code: null, signal: null })));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get name(): string {
    return this.service.name;
  }

  get lastLogLine(): string | undefined {
    return this.lastLine;
  }

  get hasExited(): boolean {
    return this.status !== undefined;
  }

  /** SIGTERM (the service closes its connections and exits 0), then SIGKILL once `graceMs` has passed. */
  async stop(graceMs: number): Promise<ExitStatus> {
    if (!this.hasExited) this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => (timer = setTimeout(() => resolve('overdue'), graceMs)));
    const first = await Promise.race([this.exited, overdue]);
    clearTimeout(timer);
    if (first === 'overdue') this.kill();
    return this.exited;
  }

  kill(): void {
    if (!this.hasExited) this.child.kill('SIGKILL');
  }
}
