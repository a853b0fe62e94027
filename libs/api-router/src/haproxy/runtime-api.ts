import { connect } from 'node:net';
import { HaproxyPermissionDeniedError, HaproxySocketNotFoundError, HaproxyUnreachableError } from '../errors';
import { errorInReply, errorInSilentReply } from './runtime-replies';

const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;

/**
 * HAProxy's runtime API on its admin unix socket, in non-interactive mode: one connection per
 * command, HAProxy closes it after answering. No session state survives between commands, so a
 * reload in between cannot leave us talking to half of an old process.
 */
export class HaproxyRuntimeApi {
  constructor(
    readonly socket: string,
    private readonly timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
    private readonly onCommand?: (command: string) => void,
  ) {}

  /** A command that prints something (`show …`); throws the typed error for an error answer. */
  async query(command: string): Promise<string> {
    const reply = await this.send(command);
    const error = errorInReply(this.socket, command, reply);
    if (error) throw error;
    return reply;
  }

  /** A command that answers nothing on success (`set server …`); any answer is an error. */
  async run(command: string): Promise<void> {
    const reply = await this.send(command);
    const error = errorInSilentReply(this.socket, command, reply);
    if (error) throw error;
  }

  private send(command: string): Promise<string> {
    // The CLI splits on newlines and ';': a name carrying either would smuggle in a second command.
    if (/[\n\r;]/.test(command)) throw new Error(`refusing runtime API command with a separator: ${JSON.stringify(command)}`);
    this.onCommand?.(command);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const connection = connect(this.socket);
      connection.setTimeout(this.timeoutMs, () => connection.destroy(new HaproxyUnreachableError(this.socket, command, `no answer within ${this.timeoutMs} ms`)));
      connection.on('connect', () => connection.end(`${command}\n`));
      connection.on('data', (chunk: Buffer) => chunks.push(chunk));
      connection.on('error', (error: NodeJS.ErrnoException) => reject(this.socketError(command, error)));
      connection.on('close', (hadError) => {
        if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  }

  private socketError(command: string, error: NodeJS.ErrnoException): Error {
    if (error instanceof HaproxyUnreachableError) return error;
    if (error.code === 'ENOENT') return new HaproxySocketNotFoundError(this.socket, { cause: error });
    if (error.code === 'EACCES' || error.code === 'EPERM') return new HaproxyPermissionDeniedError(this.socket, command, 'socket-file', { cause: error });
    return new HaproxyUnreachableError(this.socket, command, error.code ?? error.message, { cause: error });
  }
}
