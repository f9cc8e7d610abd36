import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Doorman } from '../core.js';
import { ACCOUNT_PAGES, type Page } from '../pages/account.js';
import { AUDIT_KINDS } from '../audit/kinds.js';
import { ADMIN_PAGES } from '../pages/admin.js';
import { LANG_COOKIE, pickLanguage } from '../pages/i18n.js';
import { layout, pageContext, PAGE_CSP, type PageContext } from '../pages/layout.js';
import { prefersHtml } from '../pages/negotiate.js';
import { PAGE_CSS } from '../pages/style.js';

export interface PageRoutesOptions {
  doorman: Doorman;
  /** Where the account routes live under the plugin's prefix (e.g. "/account"). */
  accountPrefix: string;
  /** Where the admin routes live (e.g. "/admin"); null: no admin UI. */
  adminPrefix: string | null;
}

/** The static files' folder under the plugin's prefix. */
export const ASSETS = '/_doorman';

/** The router constraint that sends a browser's GET to the page and everyone else to the API. */
const HTML_CONSTRAINT = 'doormanHtml';

/** dist/, where tsc puts the page script and the client it imports (src/ when run from source: its sibling dist/). */
function distFolder(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return basename(root) === 'src' ? resolve(root, '../dist') : root;
}

/** Headers of every page: the strict CSP, no framing, no sniffing, no referrer (reset links carry tokens), no caching. */
function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', PAGE_CSP)
    .header('X-Frame-Options', 'DENY')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .header('Vary', 'Accept, Accept-Language, Cookie');
}

/**
 * The HTML pages, at the API's own paths, for a browser that asks for HTML (DRF's browsable
 * API idea): GET /account/login/ with `Accept: text/html,...` is the login page; the same GET
 * with `Accept: application/json` or any-type reaches the API (its 405, or mypage's JSON) as
 * before. Pages are server-rendered shells (every value escaped) that one script,
 * /_doorman/pages/browser/main.js, drives with doorman/client in the pages' cookie mode.
 */
export const pageRoutes: FastifyPluginAsync<PageRoutesOptions> = async (
  app,
  { doorman, accountPrefix, adminPrefix },
) => {
  if (!app.hasConstraintStrategy(HTML_CONSTRAINT)) {
    app.addConstraintStrategy({
      name: HTML_CONSTRAINT,
      storage() {
        const handlers = new Map<string, unknown>();
        return {
          get: (value: string) => (handlers.get(value) ?? null) as never,
          set: (value: string, store: unknown) => void handlers.set(value, store),
        };
      },
      deriveConstraint: (request: { headers: Record<string, string | string[] | undefined> }) => {
        const accept = request.headers.accept;
        return prefersHtml(typeof accept === 'string' ? accept : undefined) ? 'html' : undefined;
      },
      mustMatchWhenDerived: false,
    } as never);
  }
  const base = app.prefix;
  const account = `${base}${accountPrefix}`;
  const admin = adminPrefix === null ? null : `${base}${adminPrefix}`;
  const assets = `${base}${ASSETS}`;
  const dist = distFolder();

  function context(request: FastifyRequest, reply: FastifyReply): PageContext {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const lang = pickLanguage(query.lang, request.cookies?.[LANG_COOKIE], request.headers['accept-language']);
    // The switch is remembered (a preference, not a credential: readable, Lax, a year).
    if (query.lang === lang)
      reply.setCookie(LANG_COOKIE, lang, {
        path: '/',
        sameSite: 'lax',
        maxAge: 365 * 24 * 3600,
        secure: doorman.config.cookieSecure,
      });
    const path = request.url.split('?')[0]!;
    return pageContext(lang, {
      base,
      account,
      admin,
      assets,
      csrfHeader: doorman.config.csrfHeaderName,
      path,
      auditKinds: AUDIT_KINDS,
    });
  }

  function route(url: string, render: (ctx: PageContext) => Page): void {
    app.get(
      url,
      { constraints: { [HTML_CONSTRAINT]: 'html' }, schema: { hide: true } as never },
      async (request, reply) => {
        const ctx = context(request, reply);
        const page = render(ctx);
        return pageHeaders(reply)
          .type('text/html; charset=utf-8')
          .send(layout(ctx, page.page, page.title, page.body).value);
      },
    );
  }

  for (const [path, render] of Object.entries(ACCOUNT_PAGES)) route(`${accountPrefix}${path}`, render);
  if (adminPrefix !== null)
    for (const [path, render] of Object.entries(ADMIN_PAGES)) route(`${adminPrefix}${path}`, render);

  app.get(`${ASSETS}/pages.css`, { schema: { hide: true } as never }, async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .header('X-Content-Type-Options', 'nosniff')
      .send(PAGE_CSS),
  );

  // The page script and the modules it imports (the client, pages/transport.js), from dist/
  // (built by tsc): only these, by plain file names (no "/" or ".."), so no other file can be asked for.
  app.get(`${ASSETS}/:folder/*`, { schema: { hide: true } as never }, async (request, reply) => {
    const { folder, '*': rest } = request.params as { folder: string; '*': string };
    const allowed =
      (folder === 'client' && /^[a-z-]+\.js$/.test(rest)) ||
      (folder === 'pages' && (rest === 'transport.js' || /^browser\/[a-z-]+\.js$/.test(rest)));
    const body = allowed ? await readFile(join(dist, folder, rest)).catch(() => null) : null;
    if (!body) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    return reply
      .type('text/javascript; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .header('X-Content-Type-Options', 'nosniff')
      .send(body);
  });
};
