/** The SQLSTATE of a PostgreSQL error as TypeORM surfaces it (driverError.code). */
export const sqlState = (e: unknown): string | undefined => (e as { driverError?: { code?: string } } | null)?.driverError?.code;

/** unique_violation: a unique index refused the write. */
export const isUniqueViolation = (e: unknown): boolean => sqlState(e) === '23505';
