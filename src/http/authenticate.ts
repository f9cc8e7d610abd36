import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/authenticate.js';
import type { Doorman } from '../core.js';
import { AuthError } from '../errors/auth-error.js';

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

export function authHooks(doorman: Doorman) {
  const { authHeaderName, authHeaderTypes } = doorman.config;

  /** Authenticates when credentials are present; leaves request.auth null when there are none. */
  async function optionalAuth(request: FastifyRequest): Promise<AuthContext | null> {
    const token = rawToken(request.headers[authHeaderName], authHeaderTypes);
    if (token === null) return null;
    request.auth = await doorman.authenticate(token);
    return request.auth;
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
