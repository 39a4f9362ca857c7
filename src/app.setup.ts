import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { version } from '../package.json';
import { AuditService } from './audit/audit.service';
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

const API_DESCRIPTION = `SCIM 2.0 (RFC 7643, RFC 7644) provisioning of the users and teams of an application, for identity providers such as
Microsoft Entra ID and Okta.

**Try it out.** Click **Authorize** and fill in \`scim\` with a SCIM token (\`npm run cli -- token create --name swagger\` prints one,
or issue one with POST /admin/scim-tokens), \`admin\` and \`introspection\` with the admin API key, and \`apiKey\` with a user's API key
(POST /admin/users/{id}/api-keys issues one). Every request example here succeeds as it stands on a fresh server; the operations on one
resource need its id, which POST /Users or POST /Groups returns (and a user's API keys need the user's id).

**Conventions.** Requests are \`application/scim+json\` or \`application/json\`; SCIM answers are \`application/scim+json\`. Errors are
SCIM errors (RFC 7644 §3.12) with \`status\` as a string and a \`scimType\` where the RFC defines one; a method a path does not have
answers 405 with an \`Allow\` header. Every resource has \`meta.version\`, also sent as \`ETag\`: send it back as \`If-Match\` on a write
(412 when the resource changed meanwhile) or \`If-None-Match\` on a read (304).`;

/** The OpenAPI document: served at /docs and /docs-json, committed as openapi.json (npm run openapi:sync). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('SCIM 2.0 server')
    .setDescription(API_DESCRIPTION)
    .setVersion(version)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque SCIM token (scim_ and 43 base64url characters)',
        description:
          'A SCIM token: an opaque random string, not a JWT, checked against the hashes the server keeps. Issue one with ' +
          'npm run cli -- token create --name NAME, or POST /admin/scim-tokens.',
      },
      'scim',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque admin API key',
        description:
          'The admin API key: an opaque string, not a JWT. ADMIN_API_KEY, or in development the key the server generated into ' +
          'DATA_DIR/admin-key (.data/admin-key by default).',
      },
      'admin',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque introspection secret',
        description:
          'For POST /introspect: INTROSPECTION_SECRET, or the admin API key; an opaque string, not a JWT. The application that ' +
          "checks its users' API keys holds it.",
      },
      'introspection',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque API key (sk_ and 43 base64url characters)',
        description:
          "For GET /auth/verify: a user's API key, an opaque random string, not a JWT, checked against the hashes the server keeps. " +
          'Issue one with POST /admin/users/{id}/api-keys, or npm run cli -- key create --user USER --name NAME.',
      },
      'apiKey',
    )
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** Everything the HTTP app needs besides its modules; shared by main.ts, the e2e tests and openapi:sync so they run the same app. */
export function configureApp(app: INestApplication, config: AppConfig, logger: PinoLogger): void {
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  const routes = configurePlatform(app, config, logger, app.get(AuditService).requestDone);
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: false, exceptionFactory: (errors) => ScimError.invalidValue(firstMessage(errors)) }),
  );
  app.useGlobalFilters(new ScimExceptionFilter(routes));
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
