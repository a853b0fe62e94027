import { Inject, Injectable, Logger } from '@nestjs/common';
import { listStreams, readStream, type StoredEvent } from '@bascule/event-store';
import { foldMigration, UnknownMigrationStreamError, type MigrationState } from '@bascule/orchestration';
import { PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import { RouterRegistry } from './router-registry.service';
import { routersToRestore } from './routers-to-restore';
import { routerAddress } from './step-router';

/**
 * On boot, before any command is taken: every embedded router the log says was serving is started
 * again at its last recorded shares, so a service keeps its production router across an api-agent
 * restart. A router that cannot start (its address taken meanwhile) is logged and skipped: the
 * agent still boots, and a command for that step reports the problem as a step failure.
 */
@Injectable()
export class RouterRestoration {
  private readonly logger = new Logger(RouterRestoration.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly registry: RouterRegistry,
  ) {}

  async restore(): Promise<number> {
    const migrations: Array<{ state: MigrationState; events: StoredEvent[] }> = [];
    for (const stream of await listStreams(this.pool, { prefix: 'migration-', firstEventType: 'MigrationPlanned' })) {
      const events = await readStream(this.pool, stream.streamId);
      const state = foldedOrNull(events);
      if (state) migrations.push({ state, events });
    }
    let restored = 0;
    for (const { owner, body, shares } of routersToRestore(migrations)) {
      try {
        await this.registry.open(owner, body, shares);
        restored++;
        this.logger.log(`router of ${body.service} on ${routerAddress(body.router)} serves again: ${JSON.stringify(shares)}`);
      } catch (error) {
        this.logger.error(`router of ${owner.migrationId}/${owner.stepId} not restored: ${(error as Error).message}`);
      }
    }
    return restored;
  }
}

function foldedOrNull(events: StoredEvent[]): MigrationState | null {
  try {
    return foldMigration(events);
  } catch (error) {
    if (error instanceof UnknownMigrationStreamError) return null;
    throw error;
  }
}
