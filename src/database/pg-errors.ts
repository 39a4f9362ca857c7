/** The SQLSTATE of a PostgreSQL error as TypeORM surfaces it (driverError.code). */
export const sqlState = (e: unknown): string | undefined => (e as { driverError?: { code?: string } } | null)?.driverError?.code;

/** unique_violation: a unique index refused the write. */
export const isUniqueViolation = (e: unknown): boolean => sqlState(e) === '23505';

/** Connection errors that pg and pg-pool raise themselves, without a SQLSTATE. */
const CONNECTION_LOST =
  /ECONNREFUSED|ECONNRESET|ENOENT|EPIPE|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|connection error|Connection is closed/i;

/**
 * Whether `e` says the database cannot serve right now (stopped, restarting, failing over, refusing connections, too
 * slow for statement_timeout, or no pooled connection within DATABASE_ACQUIRE_TIMEOUT_MS), rather than that the request
 * was wrong: such a request may succeed when retried.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const state = sqlState(e) ?? (e as { code?: unknown } | null)?.code;
  if (typeof state === 'string' && (state.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '57014'].includes(state))) {
    return true;
  }
  // Not `instanceof Error`: socket errors come from Node's own realm, which is another one under a test runner.
  const { code, message, driverError } = (e ?? {}) as { code?: unknown; message?: unknown; driverError?: unknown };
  return CONNECTION_LOST.test(`${String(code ?? '')} ${String(message ?? '')} ${String(driverError ?? '')}`);
}
