import { StorageUnavailableError } from '../ports.js';

/**
 * SQLITE_BUSY (and its extended codes): another connection, usually another process (the CLI,
 * a second instance), holds the write lock. doorman sets busy_timeout to 0, because the
 * driver's own wait is a synchronous sleep that would stall the event loop for its whole
 * length, and waits asynchronously instead (guarded-dialect.ts, group-commit.ts).
 */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
  );
}

export function translateSqliteError(error: unknown): unknown {
  if (isBusy(error)) {
    return new StorageUnavailableError('The database is locked by another process; try again shortly.', {
      cause: error,
    });
  }
  return error;
}
