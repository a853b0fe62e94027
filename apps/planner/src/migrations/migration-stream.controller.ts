import { Controller, Get, Param, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { foldMigration, type MigrationState } from '@bascule/orchestration';
import { AuthGuard } from '../auth/auth.guard';
import { RequiresRole } from '../auth/roles';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { PlannerErrorFilter } from '../http/planner-error.filter';
import { MigrationStore } from './migration-store.service';

/** The store is polled, not the bus: the stream then includes every event, in stream order, with no gap. */
const POLL_MS = 200;

/** `GET /migrations/:id/stream`: the migration's events as server-sent events, live, until it is finished. */
@ApiTags('migrations')
@Controller('migrations')
@UseFilters(PlannerErrorFilter)
@UseGuards(AuthGuard)
@RequiresRole('viewer')
export class MigrationStreamController {
  constructor(private readonly store: MigrationStore) {}

  @Get(':id/stream')
  @ApiOperation({ summary: "Server-sent events of the migration's events (event: <type>, id: <stream version>), live; ends when the migration is completed, or rolled back and its restoration verified" })
  async stream(@Param('id') id: string, @Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    let events = await this.store.events(id); // 404 before any byte is sent
    const lastSeen = Number(request.headers['last-event-id'] ?? 0);
    let closed = false;
    request.on('close', () => (closed = true));
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream');
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Connection', 'keep-alive');
    response.flushHeaders?.();
    let next = Number.isSafeInteger(lastSeen) && lastSeen > 0 ? lastSeen + 1 : 1;
    const all = [...events];
    for (;;) {
      for (const event of events.filter((candidate) => candidate.streamVersion >= next)) {
        response.write(sseFrame(event));
        next = event.streamVersion + 1;
      }
      if (closed || streamEnds(foldMigration(all))) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      events = await readStream(this.store.pool, migrationStreamId(id), { fromVersion: next });
      all.push(...events);
    }
    response.end();
  }
}

/**
 * Completed, rolled back (its restoration verified: the status waits for the check), or its
 * rollback failed: nothing more happens unless someone acts, who can follow the stream again.
 */
function streamEnds(state: MigrationState): boolean {
  return state.status === 'completed' || state.status === 'rolled_back' || state.status === 'rollback_failed';
}

function sseFrame(event: StoredEvent): string {
  const data = { streamVersion: event.streamVersion, type: event.type, data: event.data, metadata: event.metadata, recordedAt: event.recordedAt.toISOString() };
  return `id: ${event.streamVersion}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}
