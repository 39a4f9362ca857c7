import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { AppConfig } from './config/env';
import { QuietStartLogger } from './http/logging';
import { configurePlatform } from './http/platform/express';
import { ScimExceptionFilter } from './http/scim-exception.filter';
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
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Admin API key (ADMIN_API_KEY, or DATA_DIR/admin-key in development)' },
      'admin',
    )
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** Everything the HTTP app needs besides its modules; shared by main.ts, the e2e tests and openapi:sync so they run the same app. */
export function configureApp(app: INestApplication, config: AppConfig, logger: PinoLogger): void {
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  const routes = configurePlatform(app, config, logger);
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: false, exceptionFactory: (errors) => ScimError.invalidValue(firstMessage(errors)) }),
  );
  app.useGlobalFilters(new ScimExceptionFilter(routes));
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
