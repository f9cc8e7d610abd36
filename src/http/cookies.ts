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
  /** onRequest hook of login, join, refresh and logout: refuses cross-site requests and form content types in cookie mode. */
  refuseCrossSite(request: FastifyRequest): Promise<void>;
  /** Whether login/join bodies carry the refresh token (not in HttpOnly cookie mode unless asked for). */
  refreshInBody(request: FastifyRequest): boolean;
}

/** The content types an HTML form can send cross-site without a CORS preflight (Fetch §3.2.3 "CORS-safelisted"). */
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** The header a native client sends to keep getting the refresh token in login/join bodies in HttpOnly cookie mode. */
export const TOKEN_TRANSPORT_HEADER = 'x-doorman-token-transport';

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
    if (typeof presented !== 'string' || presented === '')
      throw new AuthError('csrf_failed', { detail: 'CSRF Failed: CSRF token missing.' });
    if (!sessionId || !csrf.matches(sessionId, presented))
      throw new AuthError('csrf_failed', { detail: 'CSRF Failed: CSRF token incorrect.' });
  }

  const allowedOrigins = new Set(config.corsOrigins.filter((o) => o !== '*').map((o) => o.replace(/\/$/, '')));
  if (config.publicUrl) allowedOrigins.add(new URL(config.publicUrl).origin);

  return {
    enabled: accessName !== null,
    /**
     * Login, join, refresh and logout set or clear cookies, so in cookie mode another site must
     * not be able to make a browser send them: a cross-site form could log the victim into the
     * attacker's account (login CSRF) or clear their cookies. Refused with 403 csrf_failed:
     * - a request whose Fetch Metadata says `Sec-Fetch-Site: cross-site`;
     * - an `Origin` that is neither this server's own origin nor an allowed one (corsOrigins, publicUrl);
     * - the content types a form can send without a CORS preflight (urlencoded, multipart, text/plain):
     *   a page must send application/json, which another origin cannot without CORS allowing it.
     * An onRequest hook: it runs before the body is parsed. Header mode (no cookies) is not affected.
     */
    async refuseCrossSite(request: FastifyRequest): Promise<void> {
      if (!accessName) return;
      if (request.headers['sec-fetch-site'] === 'cross-site')
        throw new AuthError('csrf_failed', { detail: 'CSRF Failed: cross-site request refused.' });
      const origin = request.headers.origin;
      if (origin !== undefined && !allowedOrigins.has(origin) && origin !== `${request.protocol}://${request.host}`) {
        throw new AuthError('csrf_failed', {
          detail:
            'CSRF Failed: Origin checking failed - ' +
            String(origin).slice(0, 100) +
            ' does not match any trusted origins.',
        });
      }
      const type = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (FORM_TYPES.has(type))
        throw new AuthError('csrf_failed', {
          detail: 'CSRF Failed: form content types are refused in cookie mode; send application/json.',
        });
    },
    /**
     * In HttpOnly cookie mode page script must never see the refresh token, so login and join
     * leave it out of the body, unless the client asks for it with `X-Doorman-Token-Transport:
     * body` (native apps, which keep no cookies; dj-rest-auth answered them "refresh": "", its #560).
     */
    refreshInBody(request: FastifyRequest): boolean {
      if (!accessName || !refreshName || !config.cookieHttpOnly) return true;
      return request.headers[TOKEN_TRANSPORT_HEADER] === 'body';
    },
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
        for (const path of refreshPaths)
          reply.setCookie(refreshName, issued.refresh, { ...tokenCookie, path, maxAge: config.refreshTokenLifetime });
      }
      if (issued.sessionId) {
        // Readable by the page's JavaScript on purpose: it must copy it into the header.
        reply.setCookie(config.csrfCookieName, csrf.tokenFor(issued.sessionId), {
          ...base,
          httpOnly: false,
          path: '/',
          maxAge: config.refreshTokenLifetime,
        });
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
