import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ListenAddress } from '../listen-address';
import { parseHttpLogLine, type HttpLogEntry } from './http-log-line';

/** A larger kernel buffer than Linux's default ~200 KiB: loss on loopback happens only when it fills. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Receives HAProxy's request logs over UDP syslog (`log <host>:<port> local0`) and hands each
 * request line to `onEntry`. UDP because that is what HAProxy sends without a local syslog daemon;
 * a datagram lost under overload costs one sample, never a request.
 */
export class SyslogReceiver {
  private constructor(private readonly socket: Socket) {}

  static async listen(address: ListenAddress, onEntry: (entry: HttpLogEntry) => void): Promise<SyslogReceiver> {
    const socket = createSocket({ type: isIPv6(address.host) ? 'udp6' : 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
    socket.on('message', (message) => {
      for (const line of message.toString('utf8').split('\n')) {
        const entry = parseHttpLogLine(line);
        if (entry) onEntry(entry);
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(address.port, address.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new SyslogReceiver(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
