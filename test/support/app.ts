import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { ScimTokensService } from '../../src/auth/scim-tokens.service';
import { AppConfig, loadConfig } from '../../src/config/env';
import { createLogger } from '../../src/http/logging';
import { createHttpAdapter } from '../../src/http/platform/express';
import { removeTempDir, tempDir } from './temp-dirs';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  config: AppConfig;
  /** A fresh SCIM token (the plaintext). */
  token(): Promise<string>;
  /** Empties every table, for a clean slate between tests. */
  reset(): Promise<void>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Boots the real AppModule (same setup as main.ts) against the e2e PostgreSQL from the global setup. */
/** `logs` receives the app's JSON log lines (with LOG_LEVEL set in `env`). */
export async function createTestApp(env: Record<string, string> = {}, logs?: DestinationStream): Promise<TestApp> {
  const dataDir = tempDir('scim-app-');
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    ...env,
  });
  const logger = createLogger(config, logs);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, config.databaseUrl ?? '', logger)] }).compile();
  const app = moduleRef.createNestApplication(createHttpAdapter(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app, config, logger);
  await app.init();
  const ds = app.get(DataSource);
  return {
    app,
    http: app.getHttpServer(),
    config,
    token: async () => (await app.get(ScimTokensService).create('e2e')).token,
    reset: async () => {
      const tables = await ds.query<{ tablename: string }[]>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'settings')`,
      );
      if (tables.length > 0) {
        await ds.query(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} CASCADE`);
      }
    },
    sql: (text, params) => ds.query(text, params),
    close: async () => {
      await app.close();
      await removeTempDir(dataDir);
    },
  };
}
