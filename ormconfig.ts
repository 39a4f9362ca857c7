import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/env';
import { dataSourceOptions } from './src/database/data-source-options';
import { openDatabase } from './src/database/embedded-postgres';

/**
 * The DataSource for the TypeORM CLI (npm run migration:generate|run|revert), on the same database and options as the
 * app: DATABASE_URL, or the embedded PostgreSQL (reused if the server is running, else started for the command and
 * stopped when it exits).
 */
async function cliDataSource(): Promise<DataSource> {
  const config = loadConfig();
  const db = await openDatabase(config, (m) => process.stderr.write(`${m}\n`), { share: true });
  return new DataSource(dataSourceOptions(config, db.url));
}

export const dataSource = cliDataSource();
