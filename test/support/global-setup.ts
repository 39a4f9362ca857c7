import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/env';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { openDatabase } from '../../src/database/embedded-postgres';
import { freePort } from './ports';

/**
 * One real PostgreSQL for the e2e suite: DATABASE_URL when set (its public schema is reset), otherwise an embedded
 * server in a temporary directory. The real migrations run once; workers inherit DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-e2e-'));
    chmodSync(dataDir, 0o755); // reachable by the postgres OS user when the tests run as root
    const config = loadConfig({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), NODE_ENV: 'test' });
    const db = await openDatabase(config, () => undefined);
    Object.assign(globalThis, { __scimE2eDb: { db, dataDir } });
    url = db.url;
    process.env.DATABASE_URL = url;
  }
  const ds = new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: url }), url));
  await ds.initialize();
  await ds.query('DROP SCHEMA IF EXISTS public CASCADE');
  await ds.query('CREATE SCHEMA public');
  await ds.runMigrations();
  await ds.destroy();
}
