import type { FastifyRequest } from 'fastify';
import type { Doorman } from '../core.js';
import { PAGE_COOKIES, PAGES_HEADER } from '../pages/transport.js';
import { createCookieMode, type CookieMode } from './cookies.js';

export { PAGES_HEADER, PAGE_COOKIES };

/**
 * The pages use cookie mode with CSRF whatever the API's settings: a request that carries
 * `X-Doorman-Pages: cookie` (PAGES_HEADER, sent by the pages' script) is answered in the pages' cookie mode (HttpOnly, SameSite=Strict token
 * cookies, the CSRF cookie bound to the session, the double-submit header on unsafe methods);
 * every other request in the API's own mode, exactly as without pages (header-only by
 * default: no cookie is read or set). The routes see one CookieMode that picks per request.
 * Another site cannot send the header: a form cannot set one, and fetch with it needs a CORS
 * preflight that doorman's CORS never allows (it is not in allowedHeaders); the CSRF token
 * is still required on top.
 */
export function withPageCookies(
  doorman: Doorman,
  api: CookieMode,
  paths: { refresh: string; logout: string },
): CookieMode {
  const config = {
    ...doorman.config,
    authCookie: PAGE_COOKIES.access,
    refreshCookie: PAGE_COOKIES.refresh,
    refreshCookiePath: null,
    csrfCookieName: PAGE_COOKIES.csrf,
    cookieHttpOnly: true,
    cookieSameSite: 'Strict' as const,
    cookieDomain: null,
  };
  const page = createCookieMode(Object.create(doorman, { config: { value: config } }) as Doorman, paths);
  const pick = (request: FastifyRequest): CookieMode => (request.headers[PAGES_HEADER] === 'cookie' ? page : api);
  return {
    enabled: true,
    accessToken: (request) => pick(request).accessToken(request),
    refreshToken: (request) => pick(request).refreshToken(request),
    checkAccess: (request, sessionId) => pick(request).checkAccess(request, sessionId),
    checkRefresh: (request, token) => pick(request).checkRefresh(request, token),
    set: (reply, issued) => pick(reply.request).set(reply, issued),
    clear: (reply) => pick(reply.request).clear(reply),
    // The pages' mode refuses cross-site requests and form bodies, and keeps the refresh token out of login/join bodies.
    refuseCrossSite: (request) => pick(request).refuseCrossSite(request),
    refreshInBody: (request) => pick(request).refreshInBody(request),
  };
}
