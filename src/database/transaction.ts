import type { DataSource, EntityManager } from 'typeorm';

/** deadlock_detected and serialization_failure: PostgreSQL aborted one of two colliding transactions; retrying is safe. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

const sqlState = (e: unknown): string | undefined => (e as { driverError?: { code?: string } } | null)?.driverError?.code;

/**
 * Runs `work` in one transaction, retried when PostgreSQL aborts it for a deadlock (e.g. a team PATCH adding a user
 * while that user is deleted: each waits on the other's row). `work` must only touch the database, so a retry is clean.
 */
export async function transaction<T>(dataSource: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await dataSource.transaction(work);
    } catch (e) {
      if (attempt >= ATTEMPTS || !RETRYABLE.has(sqlState(e) ?? '')) {
        throw e;
      }
    }
  }
}
