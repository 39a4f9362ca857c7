import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from './config/env';
import { PUBLIC_BASE_URL_SETTING } from './http/base-url';
import { ScimExceptionFilter } from './http/scim-exception.filter';
import { ScimResultInterceptor } from './http/scim-result.interceptor';
import { ScimError } from './scim';

const firstMessage = (errors: ValidationError[]): string => {
  const e = errors[0];
  if (!e) {
    return 'The request is invalid';
  }
  const own = Object.values(e.constraints ?? {})[0];
  return own ?? `${e.property}: ${firstMessage(e.children ?? [])}`;
};

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('SCIM 2.0 server')
    .setDescription(
      'SCIM 2.0 (RFC 7643/7644) provisioning API for users, teams and API keys. SCIM routes take a SCIM token; admin routes take the admin API key. Use "Authorize" to set both.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'SCIM token (npm run cli -- token create --name NAME)' }, 'scim')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Admin API key (ADMIN_API_KEY, or DATA_DIR/admin-key in development)' }, 'admin')
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** Everything the HTTP app needs besides its modules; shared by main.ts and the e2e tests so they run the same app. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  // SCIM resources carry their own ETag (meta.version); Express's body hash would contradict it.
  const express = app.getHttpAdapter().getInstance() as { set(k: string, v: unknown): void };
  express.set('etag', false);
  express.set(PUBLIC_BASE_URL_SETTING, config.publicBaseUrl);
  const secure = helmet();
  // Swagger UI needs inline scripts that helmet's CSP forbids; every other route gets helmet.
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/docs') ? next() : secure(req, res, next)));
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: false, exceptionFactory: (errors) => ScimError.invalidValue(firstMessage(errors)) }),
  );
  app.useGlobalInterceptors(new ScimResultInterceptor());
  app.useGlobalFilters(new ScimExceptionFilter(app.get(HttpAdapterHost), config.bodyLimit));
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}
