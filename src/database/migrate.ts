import { DataSource } from 'typeorm';
import { AppConfig } from '../config/env';
import { dataSourceOptions } from './data-source-options';

/** Runs pending migrations on a connection of their own, without the serving timeouts; one line says what it does. */
export async function runMigrations(config: AppConfig, url: string, log: (message: string) => void): Promise<void> {
  const ds = new DataSource(dataSourceOptions(config, url));
  await ds.initialize();
  try {
    const pending = await ds.showMigrations();
    if (pending) {
      const t0 = Date.now();
      const done = await ds.runMigrations();
      log(`Ran ${done.length} database migration(s) in ${Date.now() - t0} ms: ${done.map((m) => m.name).join(', ')}`);
    }
  } finally {
    await ds.destroy();
  }
}
