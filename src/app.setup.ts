import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as PinoLogger } from 'pino';
import { AppConfig } from './config/env';
import { registerPublicBaseUrl } from './http/base-url';
import { bindRequestLogger, requestId, RequestLog } from './http/logging';
import { RouteTable } from './http/route-table';
import { registerScimContentTypes } from './http/scim-content-type';
import { ScimExceptionFilter, sendRoutingError } from './http/scim-exception.filter';
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

const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };
/** BODY_LIMIT (validated as <n>b|kb|mb) in bytes. */
const bytesOf = (size: string): number => {
  const [, n, unit] = /^(\d+)(b|kb|mb)$/i.exec(size) ?? [];
  return Number(n) * (UNIT_BYTES[unit?.toLowerCase() ?? 'b'] ?? 1);
};

/**
 * The HTTP adapter of main.ts, the e2e tests and openapi:sync. Paths match case-insensitively, with or without a
 * trailing slash; the request id (X-Request-Id in and out, and in the log) is assigned here.
 */
export const createHttpAdapter = (config: AppConfig, logger: PinoLogger) =>
  new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLog(),
    bodyLimit: bytesOf(config.bodyLimit),
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    requestIdHeader: false,
    genReqId: requestId,
    frameworkErrors: sendRoutingError,
  });

/**
 * helmet's headers, computed once: with its defaults (no CSP nonces or per-request directives) they do not depend on
 * the request, so running its middleware chain on every request would only repeat the same work.
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet()({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('SCIM 2.0 server')
    .setDescription(
      'SCIM 2.0 (RFC 7643/7644) provisioning API for users, teams and API keys. SCIM routes take a SCIM token; admin routes take the admin API key. Use "Authorize" to set both.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'SCIM token (npm run cli -- token create --name NAME)' }, 'scim')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Admin API key (ADMIN_API_KEY, or DATA_DIR/admin-key in development)' },
      'admin',
    )
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** Everything the HTTP app needs besides its modules; shared by main.ts and the e2e tests so they run the same app. */
export function configureApp(app: NestFastifyApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const routes = new RouteTable();
  routes.watch(fastify);
  bindRequestLogger(fastify);
  registerPublicBaseUrl(fastify, config.publicBaseUrl);
  registerScimContentTypes(fastify);
  const secure = helmetHeaders();
  // Swagger UI needs inline scripts that helmet's CSP forbids; every other route gets helmet's headers.
  fastify.addHook('onRequest', (req, reply, next) => {
    reply.header('X-Request-Id', req.id);
    if (!req.url.startsWith('/docs')) {
      reply.headers(secure);
    }
    next();
  });
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: false, exceptionFactory: (errors) => ScimError.invalidValue(firstMessage(errors)) }),
  );
  app.useGlobalInterceptors(new ScimResultInterceptor());
  app.useGlobalFilters(new ScimExceptionFilter(routes, config.bodyLimit));
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
