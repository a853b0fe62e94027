import { createHash } from 'node:crypto';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, of, throwError, type Observable } from 'rxjs';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { PlannerError } from '../http/planner.errors';
import { IdempotencyKeyStore } from './idempotency-key.store';

const HEADER = 'idempotency-key';

/**
 * `Idempotency-Key` on a POST: the same key with the same request replays the first response
 * (status and body); the same key with another request is 422; a request still running under the
 * key is 409. Only successful responses are kept, so a failed request may be retried as is.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyKeyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const response = context.switchToHttp().getResponse<HttpResponse>();
    const raw = request.headers[HEADER];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (request.method !== 'POST' || !key) return next.handle();
    if (key.length > 255) return throwError(() => new PlannerError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key is at most 255 characters', 400));
    const hash = requestHash(request);
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    return from(this.store.reserve(key, hash)).pipe(
      mergeMap((reservation) => {
        if (reservation.kind === 'replay') {
          response.status(reservation.status);
          response.setHeader('Idempotent-Replayed', 'true');
          return of(reservation.body);
        }
        if (reservation.kind === 'mismatch') {
          return throwError(() => new PlannerError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${key}" was used for a different request: use a new key`, 422));
        }
        if (reservation.kind === 'in_progress') {
          return throwError(() => new PlannerError('IDEMPOTENCY_KEY_IN_PROGRESS', `a request with Idempotency-Key "${key}" is still running: retry later`, 409));
        }
        return next.handle().pipe(
          mergeMap((body) => {
            const status = (response.locals?.['replayStatus'] as number | undefined) ?? declared ?? 201;
            return from(this.store.save(key, status, body)).pipe(mergeMap(() => of(body)));
          }),
          catchError((error: unknown) => from(this.store.release(key)).pipe(mergeMap(() => throwError(() => error)))),
        );
      }),
    );
  }
}

/** Method, path and body: what makes two requests "the same". */
function requestHash(request: HttpRequest): string {
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null);
  return createHash('sha256').update(`${request.method}\0${request.originalUrl}\0${body}`).digest('hex');
}
