import { METADATA_HEADER, type BusTopology } from '@bascule/messaging';
import type { NatsConnection } from 'nats';

export interface QueuedCommand {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON bodies field by field
  payload: any;
  commandId: string;
  metadata: Record<string, unknown>;
}

/** The commands still queued on a subject of the work-queue stream (no agent consumes them in these tests). */
export async function queuedCommands(nc: NatsConnection, topology: BusTopology, name: string): Promise<QueuedCommand[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(topology.commandsStream).catch(() => null);
  if (!info) return [];
  const found: QueuedCommand[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(topology.commandsStream, { seq }).catch(() => null);
    if (!message || message.subject !== topology.commandSubject(name)) continue;
    const metadata = message.header?.get(METADATA_HEADER);
    found.push({ payload: message.json(), commandId: message.header?.get('Nats-Msg-Id') ?? '', metadata: metadata ? JSON.parse(metadata) : {} });
  }
  return found;
}

export async function waitForCommand(
  nc: NatsConnection,
  topology: BusTopology,
  name: string,
  predicate: (command: QueuedCommand) => boolean,
  timeoutMs = 30_000,
): Promise<QueuedCommand> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = (await queuedCommands(nc, topology, name)).find(predicate);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${name} command matching after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
