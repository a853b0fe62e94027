// A relay as its own process, so a test can SIGKILL it mid-stream like a crashed service.
import { connect } from 'nats';
import { Pool } from 'pg';
import { busTopology } from '@bascule/messaging';
import { startOutboxRelay } from '../src/relay/outbox-relay';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.RELAY_DATABASE_URL });
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  let published = 0;
  startOutboxRelay({
    pool,
    nc,
    topology: busTopology(process.env.RELAY_BUS_PREFIX),
    batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 200),
    maxInFlight: Number(process.env.RELAY_MAX_IN_FLIGHT ?? 64),
    checkpointIntervalMs: Number(process.env.RELAY_CHECKPOINT_INTERVAL_MS ?? 250),
    onPublished: (events) => {
      published += events.length;
      process.stdout.write(`published ${published}\n`);
    },
    onError: (error) => process.stderr.write(`relay error: ${String(error)}\n`),
  });
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
