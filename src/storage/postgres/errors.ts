import { StorageUnavailableError } from '../ports.js';

/** Socket errors: the server is down, restarting, or the network is gone. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * SQLSTATEs that mean "not now" rather than "wrong": connection exceptions (class 08), the
 * server shutting down or restarting (57P01-57P03), too many connections (53300), and a
 * database that does not exist (3D000, e.g. dropped and being recreated).
 */
const OUTAGE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000']);

/** True when a pg / pg-pool error means PostgreSQL cannot be reached now. */
export function isOutage(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (SOCKET_CODES.has(code) || OUTAGE_STATES.has(code) || code.startsWith('08')) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  // pg's own words for a connection that died under a query, pg-pool's connect timeout, and a
  // database closed to connections for maintenance (ALTER DATABASE ... ALLOW_CONNECTIONS false).
  return /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection ended unexpectedly|not currently accepting connections/i.test(
    message,
  );
}

export function translatePostgresError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError) return error;
  return isOutage(error)
    ? new StorageUnavailableError('The database (PostgreSQL) cannot be reached.', { cause: error })
    : error;
}
