import { AuthError } from '../errors/auth-error.js';

/**
 * DRF's throttled answer: 429, `Retry-After`, and
 * `{"detail": "Request was throttled. Expected available in N seconds.", "code": "throttled"}`.
 */
export function throttled(msBeforeNext: number): AuthError {
  const wait = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AuthError('throttled', {
    detail: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`,
    retryAfter: wait,
  });
}
