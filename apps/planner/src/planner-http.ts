import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { bodyParseErrorMiddleware } from './http/body-parse-error.middleware';

/** YAML media types `POST /migrations` accepts as text (JSON goes through the JSON parser). */
export const YAML_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
/** A spec may carry up to 1 MB of SQL per text field: leave room for a few. */
const BODY_LIMIT = '2mb';

/** Body parsers and OpenAPI at `/docs`; call before `app.init()` / `app.listen()`. */
export function configurePlannerHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: BODY_LIMIT });
  express.useBodyParser('text', { type: YAML_CONTENT_TYPES, limit: BODY_LIMIT });
  // Right after the parsers: Express hands their errors to the next error middleware (four arguments).
  express.use(bodyParseErrorMiddleware);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bascule planner')
      .setDescription('Plan, run, verify and roll back migrations (ARCHITECTURE.md "Planner REST API")')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
