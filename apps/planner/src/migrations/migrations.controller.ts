import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvalidMigrationSpecError, migrationSpecJsonSchema, parseMigrationSpec } from '@bascule/migration-spec';
import { AuthGuard } from '../auth/auth.guard';
import { RequiresRole } from '../auth/roles';
import { Actor } from '../http/actor';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { PlannerErrorFilter } from '../http/planner-error.filter';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { MigrationPlanner } from '../planning/migration-planner.service';
import { RehearsalService } from '../rehearsal/rehearsal.service';
import { ApproveBody, DEFAULT_ROLLBACK_REASON, parseBody, PauseBody, RollbackBody } from './dto/action-bodies';
import { MigrationCommands } from './migration-commands.service';
import { migrationReport } from './migration-report';
import { migrationStatusView } from './migration-status.projection';
import { MigrationStore } from './migration-store.service';

/** ARCHITECTURE.md "Planner REST API" (contract: routes and statuses). Roles: see auth/roles.ts. */
@ApiTags('migrations')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Bascule-User', required: false, description: 'Who is calling, only while authentication is off (default anonymous); ignored when a token is required' })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'POSTs: the same key and body replay the first response' })
@Controller('migrations')
@UseFilters(PlannerErrorFilter)
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@RequiresRole('viewer')
export class MigrationsController {
  constructor(
    private readonly planner: MigrationPlanner,
    private readonly commands: MigrationCommands,
    private readonly store: MigrationStore,
    private readonly rehearsal: RehearsalService,
  ) {}

  @RequiresRole('operator')
  @Post()
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ description: 'A migration spec (docs/migration-spec.md)', schema: migrationSpecJsonSchema() as object })
  @ApiQuery({ name: 'dryRun', required: false, description: 'true: plan only, store nothing (200)' })
  @ApiOperation({ summary: 'Validate, introspect the target, lint and plan a migration spec (JSON, or YAML with Content-Type: application/yaml); ?dryRun=true stores nothing' })
  async create(
    @Body() body: unknown,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
    @Query('dryRun') dryRun: string | undefined,
    @Actor() actor: string,
  ) {
    const contentType = String(request.headers['content-type'] ?? '');
    const parsed = await parseMigrationSpec(body, { contentType, baseDir: process.env['BASCULE_SPEC_DIR'] || undefined });
    if (!parsed.ok) throw new InvalidMigrationSpecError(parsed.problems);
    const plan = await this.planner.plan(parsed.spec);
    if (dryRun === 'true' || dryRun === '1') {
      // Nothing was created: 200, not 201.
      response.status(200);
      response.locals['replayStatus'] = 200;
      return { id: null, status: 'planned', dryRun: true, plan };
    }
    const id = await this.commands.create(parsed.spec, plan, actor);
    return { id, status: 'planned', plan };
  }

  @Get()
  @ApiOperation({ summary: 'Every migration with its status' })
  async list() {
    return (await this.store.list()).map((record) => migrationStatusView(record.state, record.apiSteps, record.trace, record.recoveryPoints));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status projection: {id, name, status, phases: [{name, status, steps}]}' })
  async get(@Param('id') id: string) {
    const record = await this.store.record(id);
    return migrationStatusView(record.state, record.apiSteps, record.trace, record.recoveryPoints);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The migration's events in order" })
  async events(@Param('id') id: string) {
    return (await this.store.events(id)).map((event) => ({
      streamVersion: event.streamVersion,
      eventId: event.eventId,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recordedAt: event.recordedAt.toISOString(),
    }));
  }

  @Get(':id/report')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  @ApiOperation({ summary: 'Markdown report: what changed, timings, verification, who started/approved/rolled back and why' })
  async report(@Param('id') id: string) {
    const record = await this.store.record(id);
    return migrationReport(record.state, record.apiSteps, record.trace, record.recoveryPoints);
  }

  @RequiresRole('operator')
  @Post(':id/start')
  @HttpCode(202)
  start(@Param('id') id: string, @Actor() actor: string) {
    return this.commands.start(id, actor);
  }

  @RequiresRole('operator')
  @Post(':id/pause')
  @HttpCode(202)
  pause(@Param('id') id: string, @Body() body: unknown, @Actor() actor: string) {
    return this.commands.pause(id, actor, parseBody(PauseBody, body).reason);
  }

  @RequiresRole('operator')
  @Post(':id/resume')
  @HttpCode(202)
  resume(@Param('id') id: string, @Actor() actor: string) {
    return this.commands.resume(id, actor);
  }

  @RequiresRole('operator')
  @Post(':id/complete')
  @HttpCode(202)
  complete(@Param('id') id: string, @Actor() actor: string) {
    return this.commands.complete(id, actor);
  }

  @RequiresRole('oncall')
  @Post(':id/rollback')
  @HttpCode(202)
  @ApiOperation({ summary: 'Sends the on-call rollback command (bascule.cmd.rollback) with trigger api' })
  rollback(@Param('id') id: string, @Body() body: unknown, @Actor() actor: string) {
    return this.commands.rollback(id, actor, parseBody(RollbackBody, body).reason ?? DEFAULT_ROLLBACK_REASON);
  }

  @RequiresRole('approver')
  @Post(':id/steps/:stepId/approve')
  @HttpCode(202)
  approve(@Param('id') id: string, @Param('stepId') stepId: string, @Body() body: unknown, @Actor() actor: string) {
    return this.commands.approve(id, stepId, actor, parseBody(ApproveBody, body).comment);
  }

  @RequiresRole('operator')
  @Post(':id/rehearse')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the migration forward and back on a scratch copy of the target schema with sampled rows; records RollbackRehearsed' })
  rehearse(@Param('id') id: string, @Actor() actor: string) {
    return this.rehearsal.rehearse(id, actor);
  }
}
