import { NestFactory } from '@nestjs/core';
import 'reflect-metadata';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AdminKeyService } from './auth/admin-key.service';
import { AppConfig, ConfigError, loadConfig, serverBaseUrl } from './config/env';
import { Database, openDatabase } from './database/embedded-postgres';
import { createLogger } from './http/logging';
import { createHttpAdapter } from './http/platform/express';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config);
  const log = logger.child({ context: 'Bootstrap' });
  let db: Database | undefined;
  try {
    db = await openDatabase(config, (m) => log.info(m));
    const app = await NestFactory.create(AppModule.forRoot(config, db.url, logger), createHttpAdapter(config), {
      bufferLogs: true,
      bodyParser: false,
      abortOnError: false,
    });
    configureApp(app, config, logger);
    await app.listen(config.port, config.host);
    const base = serverBaseUrl(config);
    const adminKey = app.get(AdminKeyService).source;
    log.info(
      {
        scim: `${base}/scim/v2`,
        docs: `${base}/docs`,
        health: `${base}/health`,
        adminKey,
        database: db.mode === 'url' ? 'DATABASE_URL' : `embedded (${config.dataDir})`,
      },
      `SCIM server ready: SCIM at ${base}/scim/v2, Swagger UI at ${base}/docs, health at ${base}/health. ` +
        `Get a SCIM token with: npm run cli -- token create --name my-idp (or POST /admin/scim-tokens with the admin key from ${adminKey})`,
    );
    const stop = db.stop;
    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) {
        return;
      }
      closing = true;
      log.info({ signal }, 'Shutting down: draining HTTP, closing the database pool, stopping PostgreSQL');
      await app.close();
      await stop();
      log.info('Stopped');
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (e) {
    log.fatal(e instanceof Error ? e.message : String(e));
    await db?.stop();
    process.exit(1);
  }
}

void bootstrap();
