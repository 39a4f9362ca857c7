import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import 'reflect-metadata';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter, openApiDocument } from './app.setup';
import { loadConfig } from './config/env';
import { openDatabase } from './database/embedded-postgres';
import { createLogger } from './http/logging';

/** npm run openapi:sync — writes openapi.json from the decorators; an e2e test fails while the committed file is stale. */
async function main(): Promise<void> {
  const config = { ...loadConfig(), logLevel: 'silent' as const };
  const logger = createLogger(config);
  const db = await openDatabase(config, () => undefined, { share: true });
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(config, db.url, logger),
      createHttpAdapter(config, logger),
      { logger: false, bodyParser: false },
    );
    configureApp(app, config);
    await app.init();
    writeFileSync('openapi.json', `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    await db.stop();
  }
}

void main();
