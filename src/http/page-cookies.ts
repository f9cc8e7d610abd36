import type { FastifyRequest } from 'fastify';
import type { Doorman } from '../core.js';
import { createCookieMode, type CookieMode } from './cookies.js';

/**
 * The header the pages' script sends with every request (`X-Doorman-Pages: cookie`): it asks
 * for the pages' own cookie transport. Another site cannot send it: a form cannot set a
 * header, and fetch with it needs a CORS preflight that doorman's CORS never allows.
 */
export const PAGES_HEADER = 'x-doorman-pages';

/** The pages' cookies: their own names, so they never mix with an API cookie mode's. */
export const PAGE_COOKIES = { access: 'doorman_page', refresh: 'doorman_page_refresh', csrf: 'doorman_page_csrf' } as const;

/**
 * The pages use cookie mode with CSRF whatever the API's settings: a request that carries
 * {@link PAGES_HEADER} is answered in the pages' cookie mode (HttpOnly, SameSite=Strict token
 * cookies, the CSRF cookie bound to the session, the double-submit header on unsafe methods);
 * every other request in the API's own mode, exactly as without pages (header-only by
 * default: no cookie is read or set). The routes see one CookieMode that picks per request.
 */
export function withPageCookies(doorman: Doorman, api: CookieMode, paths: { refresh: string; logout: string }): CookieMode {
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
  };
}
