import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for cookie mode: a signed double-submit token bound to the session (OWASP CSRF
 * Prevention Cheat Sheet, "Signed Double-Submit Cookie"). The token is HMAC(key, session id):
 * the server keeps no state, a page on another origin cannot read it (same-origin policy) so
 * cannot echo it in the header, and, unlike a plain random double-submit value, a cookie planted
 * by a sibling subdomain is useless because it is not the HMAC of the victim's session.
 */
export interface Csrf {
  /** The token for a session, set in the JavaScript-readable CSRF cookie. */
  tokenFor(sessionId: string): string;
  /** Whether `presented` (the header) is the session's token; compared in constant time. */
  matches(sessionId: string, presented: string): boolean;
}

/**
 * @param secret CSRF_SECRET, or the signing key, from which a separate key is derived (HKDF,
 *   RFC 5869) so the signing key itself is never used for anything but signing.
 *
 * @example
 * const csrf = createCsrf(config.csrfSecret ?? config.signingKey);
 * csrf.matches(auth.sessionId, request.headers['x-csrftoken']);
 */
export function createCsrf(secret: string): Csrf {
  const key = Buffer.from(hkdfSync('sha256', secret, 'doorman', 'csrf token v1', 32));
  const tokenFor = (sessionId: string) => createHmac('sha256', key).update(sessionId).digest('base64url');
  return {
    tokenFor,
    matches(sessionId, presented) {
      const expected = Buffer.from(tokenFor(sessionId));
      const given = Buffer.from(presented);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
