import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createCsrf } from '../auth/csrf.js';
import type { Doorman } from '../core.js';
import { AuthError } from '../errors/auth-error.js';
import { SAFE_METHODS } from '../permissions/types.js';

/** What login, join and refresh hand to the cookies (freshly issued tokens: they live for the configured lifetimes). */
export interface IssuedCookies {
  access: string;
  accessExp: number;
  refresh?: string | undefined;
  refreshExp?: number | undefined;
  sessionId: string | null;
}

/** dj-rest-auth's JWT cookie mode, as the plugin's routes and requirePermission use it. */
export interface CookieMode {
  /** False unless the access cookie name (authCookie) is set; every other method is then a no-op or null. */
  readonly enabled: boolean;
  /** The access token from the cookie (only consulted when there is no Authorization header). */
  accessToken(request: FastifyRequest): string | null;
  /** The refresh token from the cookie (only consulted when the body has none). */
  refreshToken(request: FastifyRequest): string | null;
  /** A request authenticated by the access cookie: unsafe methods need the CSRF header. */
  checkAccess(request: FastifyRequest, sessionId: string | null): void;
  /** A refresh or logout that took its token from the refresh cookie needs the CSRF header. */
  checkRefresh(request: FastifyRequest, refreshToken: string): void;
  /** Sets the token cookies (and the CSRF cookie bound to the session) for freshly issued tokens. */
  set(reply: FastifyReply, issued: IssuedCookies): void;
  clear(reply: FastifyReply): void;
}

/** The sid claim of a token, unverified: only to find which CSRF token to expect (the token is verified right after). */
function unverifiedSession(token: string): string | null {
  try {
    const sid = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))?.sid;
    return typeof sid === 'string' ? sid : null;
  } catch {
    return null;
  }
}

/**
 * dj-rest-auth's JWT cookie mode (JWT_AUTH_COOKIE, JWT_AUTH_REFRESH_COOKIE, ...), off unless
 * the access cookie name is set. Token cookies are HttpOnly, Secure and SameSite=Lax by default;
 * the refresh cookie is sent only to the refresh and logout endpoints (set once per path), so
 * it never travels with ordinary API calls. State-changing requests authenticated by cookie
 * must echo the CSRF cookie in the CSRF header (see auth/csrf.ts); header-authenticated
 * requests carry no ambient credential and are not checked.
 */
export function createCookieMode(doorman: Doorman, paths: { refresh: string; logout: string }): CookieMode {
  const config = doorman.config;
  const accessName = config.authCookie;
  const refreshName = config.refreshCookie;
  const csrf = createCsrf(config.csrfSecret ?? config.signingKey);
  const base: CookieSerializeOptions = {
    secure: config.cookieSecure,
    sameSite: config.cookieSameSite.toLowerCase() as 'lax' | 'strict' | 'none',
    ...(config.cookieDomain ? { domain: config.cookieDomain } : {}),
  };
  const tokenCookie = { ...base, httpOnly: config.cookieHttpOnly };
  const refreshPaths = config.refreshCookiePath ? [config.refreshCookiePath] : [paths.refresh, paths.logout];

  function checkCsrf(request: FastifyRequest, sessionId: string | null): void {
    const presented = request.headers[config.csrfHeaderName];
    if (typeof presented !== 'string' || presented === '') throw new AuthError('csrf_failed', { detail: 'CSRF Failed: CSRF token missing.' });
    if (!sessionId || !csrf.matches(sessionId, presented)) throw new AuthError('csrf_failed', { detail: 'CSRF Failed: CSRF token incorrect.' });
  }

  return {
    enabled: accessName !== null,
    accessToken: (request: FastifyRequest): string | null => (accessName && request.cookies?.[accessName]) || null,
    refreshToken: (request: FastifyRequest): string | null => (refreshName && request.cookies?.[refreshName]) || null,
    checkAccess(request: FastifyRequest, sessionId: string | null): void {
      if (!SAFE_METHODS.has(request.method)) checkCsrf(request, sessionId);
    },
    checkRefresh(request: FastifyRequest, refreshToken: string): void {
      checkCsrf(request, unverifiedSession(refreshToken));
    },
    set(reply: FastifyReply, issued: IssuedCookies): void {
      if (!accessName) return;
      reply.setCookie(accessName, issued.access, { ...tokenCookie, path: '/', maxAge: config.accessTokenLifetime });
      if (refreshName && issued.refresh && issued.refreshExp) {
        for (const path of refreshPaths) reply.setCookie(refreshName, issued.refresh, { ...tokenCookie, path, maxAge: config.refreshTokenLifetime });
      }
      if (issued.sessionId) {
        // Readable by the page's JavaScript on purpose: it must copy it into the header.
        reply.setCookie(config.csrfCookieName, csrf.tokenFor(issued.sessionId), { ...base, httpOnly: false, path: '/', maxAge: config.refreshTokenLifetime });
      }
    },
    clear(reply: FastifyReply): void {
      if (!accessName) return;
      reply.clearCookie(accessName, { ...tokenCookie, path: '/' });
      if (refreshName) for (const path of refreshPaths) reply.clearCookie(refreshName, { ...tokenCookie, path });
      reply.clearCookie(config.csrfCookieName, { ...base, path: '/' });
    },
  };
}

