import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import 'reflect-metadata';
import { AppModule } from './app.module';
import { configureApp, openApiDocument } from './app.setup';
import { loadConfig } from './config/env';
import { openDatabase } from './database/embedded-postgres';
import { createLogger } from './http/logging';
import { createHttpAdapter } from './http/platform/express';

/** npm run openapi:sync — writes openapi.json from the decorators; an e2e test fails while the committed file is stale. */
async function main(): Promise<void> {
  const config = { ...loadConfig(), logLevel: 'silent' as const };
  const logger = createLogger(config);
  const db = await openDatabase(config, () => undefined, { share: true });
  try {
    const app = await NestFactory.create(AppModule.forRoot(config, db.url, logger), createHttpAdapter(config), {
      logger: false,
      bodyParser: false,
    });
    configureApp(app, config, logger);
    await app.init();
    writeFileSync('openapi.json', `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    await db.stop();
  }
}

void main();
