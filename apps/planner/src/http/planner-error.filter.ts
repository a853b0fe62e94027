import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { isExpectedVersionConflictError } from '@bascule/event-store';
import { isInvalidMigrationSpecError } from '@bascule/migration-spec';
import type { HttpResponse } from './http-types';
import { PlannerError } from './planner.errors';

interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** Maps every error of a REST call, once, to a status and `{code, message, details}` (STYLE.md). */
@Catch()
export class PlannerErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('PlannerApi');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const [status, body] = this.map(error);
    if (status >= 500) this.logger.error(`${body.code}: ${(error as Error)?.message ?? String(error)}`);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(status).json(body);
  }

  private map(error: unknown): [number, ErrorBody] {
    if (error instanceof PlannerError) return [error.status, { code: error.code, message: error.message, details: error.details }];
    if (isInvalidMigrationSpecError(error)) return [400, { code: error.code, message: error.message, details: error.problems }];
    if (isExpectedVersionConflictError(error)) {
      return [409, { code: 'CONCURRENT_CHANGE', message: 'the migration changed while this request was handled: read it again and retry' }];
    }
    if (error instanceof HttpException) return [error.getStatus(), { code: `HTTP_${error.getStatus()}`, message: error.message }];
    return [500, { code: 'INTERNAL', message: 'the planner failed to handle the request; see its log' }];
  }
}
