import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/authenticate.js';
import type { Doorman } from '../core.js';
import { AuthError } from '../errors/auth-error.js';
import type { CookieMode } from './cookies.js';

/**
 * simplejwt's JWTAuthentication steps 1 and 2: the header, then the raw token. A header of
 * another scheme is "no credentials" (another authenticator may own it), a header of our
 * scheme without exactly one token is 401.
 */
export function rawToken(header: string | string[] | undefined, types: readonly string[]): string | null {
  if (typeof header !== 'string') return null;
  const parts = header.trim().split(/\s+/);
  if (parts.length === 0 || parts[0] === '' || !types.includes(parts[0]!)) return null;
  if (parts.length !== 2) throw new AuthError('bad_authorization_header');
  return parts[1]!;
}

/**
 * @param cookies cookie mode, when on: with no token in the header, the access cookie is
 *   read (dj-rest-auth's JWTCookieAuthentication), and an unsafe method then needs the CSRF header.
 */
export function authHooks(doorman: Doorman, cookies?: CookieMode) {
  const { authHeaderName, authHeaderTypes } = doorman.config;
  const cookieMode = cookies?.enabled ? cookies : null;

  /** Authenticates when credentials are present; leaves request.auth null when there are none. */
  async function optionalAuth(request: FastifyRequest): Promise<AuthContext | null> {
    const token = rawToken(request.headers[authHeaderName], authHeaderTypes);
    if (token !== null) {
      request.auth = await doorman.authenticate(token);
      return request.auth;
    }
    const fromCookie = cookieMode?.accessToken(request);
    if (!fromCookie) return null;
    const auth = await doorman.authenticate(fromCookie);
    // The browser attaches cookies to cross-site requests too: prove this one came from our page.
    cookieMode!.checkAccess(request, auth.sessionId);
    request.auth = auth;
    return auth;
  }

  /**
   * preValidation hook for routes that need a user (DRF IsAuthenticated): 401 without one.
   * It runs before body validation, as DRF authenticates before the serializer sees the body:
   * an anonymous caller learns nothing about the body's fields.
   */
  async function requireUser(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (!(await optionalAuth(request))) throw new AuthError('not_authenticated');
  }

  return { optionalAuth, requireUser };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request, once an authenticating hook ran; null otherwise. */
    auth: AuthContext | null;
  }
}
