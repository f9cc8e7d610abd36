import { AuthError } from '../errors/auth-error.js';
import { formatRate, type Rate } from './rate.js';

/**
 * A limit that has just been reached: the audit log records it (once per window per key and
 * limit, never once per refused request, so a client hammering a limit cannot fill the table).
 */
export interface LimitReached {
  /**
   * `lockout`: an account's password checks are now refused, from one address (`login-pair`) or
   * from every address not known to it (`login-account`). `throttled`: one address's requests
   * are (`login-address`, credential stuffing; a per-address guard; `concurrency`).
   */
  kind: 'lockout' | 'throttled';
  /** The limit's name: `login-pair`, `login-account`, `login-address`, `join`, `social`, ... */
  limit: string;
  /** The limit as set, e.g. `5/900s`. */
  rate: string;
  /** The account tried, as given (a lockout). */
  account?: string;
}

/** The 429 a throttle answers with; `reached` when this refusal is the one that reached the limit. */
export class ThrottledError extends AuthError {
  readonly reached: LimitReached | null;

  constructor(msBeforeNext: number, reached: LimitReached | null) {
    const wait = Math.max(1, Math.ceil(msBeforeNext / 1000));
    super('throttled', {
      detail: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`,
      retryAfter: wait,
    });
    this.reached = reached;
  }
}

/**
 * DRF's throttled answer: 429, `Retry-After`, and
 * `{"detail": "Request was throttled. Expected available in N seconds.", "code": "throttled"}`.
 */
export function throttled(msBeforeNext: number, reached: LimitReached | null = null): ThrottledError {
  return new ThrottledError(msBeforeNext, reached);
}

/** What a refusal by `limit` reports: the limit when this hit reached it, else nothing. */
export function reachedBy(
  hit: { reached: boolean },
  kind: LimitReached['kind'],
  limit: string,
  rate: Rate,
  account?: string,
): LimitReached | null {
  if (!hit.reached) return null;
  return account === undefined
    ? { kind, limit, rate: formatRate(rate) }
    : { kind, limit, rate: formatRate(rate), account };
}
