import { rmSync } from 'node:fs';
import { Database } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __scimE2eDb?: { db: Database; dataDir: string } }).__scimE2eDb;
  if (started) {
    await started.db.stop();
    rmSync(started.dataDir, { recursive: true, force: true });
  }
}
