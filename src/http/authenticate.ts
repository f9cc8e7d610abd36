import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/authenticate.js';
import type { Doorman } from '../core.js';
import { AuthError } from '../errors/auth-error.js';
import { tokenFromHeader } from '../tokens/rules.js';
import type { CookieMode } from './cookies.js';

/** How a request is authenticated: the plugin decorates the Fastify instance with one (`doormanAuth`). */
export interface RequestAuthenticator {
  /**
   * The user and claims of the request's credentials, or null when it brought none. A bad token
   * is 401 token_not_valid, as in DRF, even on routes anyone may use.
   */
  authenticate(request: FastifyRequest): Promise<AuthContext | null>;
  /** As authenticate, but the answer itself when no I/O is needed, a promise of it only when it is. */
  authenticateNow(request: FastifyRequest): AuthContext | null | Promise<AuthContext | null>;
}

/**
 * simplejwt's JWTAuthentication (the Authorization header) and, in cookie mode, dj-rest-auth's
 * JWTCookieAuthentication (the access cookie, when the header has no token; an unsafe method
 * then needs the CSRF header).
 */
export function requestAuthenticator(doorman: Doorman, cookies: CookieMode): RequestAuthenticator {
  const { authHeaderName, authHeaderTypes } = doorman.config;
  const cookieMode = cookies.enabled ? cookies : null;

  /** The token the request brings (header first, then the cookie), null for none. */
  const credentials = (request: FastifyRequest): { token: string; cookie: boolean } | null => {
    const token = tokenFromHeader(request.headers[authHeaderName], authHeaderTypes);
    if (token === 'bad_header') throw new AuthError('bad_authorization_header');
    if (token !== null) return { token, cookie: false };
    const fromCookie = cookieMode?.accessToken(request);
    return fromCookie ? { token: fromCookie, cookie: true } : null;
  };
  /** The browser attaches cookies to cross-site requests too: prove this one came from our page. */
  const checked = (request: FastifyRequest, auth: AuthContext, cookie: boolean): AuthContext => {
    if (cookie) cookieMode!.checkAccess(request, auth.sessionId);
    return auth;
  };

  const authenticateNow = (request: FastifyRequest): AuthContext | null | Promise<AuthContext | null> => {
    const given = credentials(request);
    if (given === null) return null;
    const auth = doorman.authenticateNow(given.token);
    return auth instanceof Promise
      ? auth.then((found) => checked(request, found, given.cookie))
      : checked(request, auth, given.cookie);
  };

  return {
    authenticate: async (request) => authenticateNow(request),
    authenticateNow,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** How requests are authenticated here (set by doormanPlugin; requirePermission reads it). */
    doormanAuth: RequestAuthenticator;
  }
  interface FastifyRequest {
    /** Who made the request, once an authenticating hook ran (e.g. requirePermission); null otherwise. */
    auth: AuthContext | null;
  }
}
