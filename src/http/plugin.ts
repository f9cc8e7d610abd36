import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fp from 'fastify-plugin';
import { createCookieMode, rememberCookieMode } from './cookies.js';
import type { Doorman } from '../core.js';
import { installErrorHandling } from './error-handler.js';
import { methodNotAllowed } from './route-table.js';
import { ACCOUNT_ROUTES, accountRoutes } from './routes/account.js';
import { ADMIN_ROUTES, adminRoutes } from './routes/admin.js';
import { AuthError } from '../errors/auth-error.js';
import { sendAuthError } from './send-error.js';
import { WELL_KNOWN_ROUTES, wellKnownRoutes } from './routes/well-known.js';
import { ACCOUNT_TOKEN_ROUTES, API_TOKEN_ROUTES, accountTokenRoutes, apiTokenRoutes } from './routes/token.js';

export interface DoormanPluginOptions {
  doorman: Doorman;
  /** Where dj-rest-auth's account routes live (default "/account"). */
  accountPrefix?: string;
  /** Where simplejwt's token views live (default "/api/token"); null leaves them out. */
  apiTokenPrefix?: string | null;
  /** Where the staff-only groups/permissions API lives (default "/admin"); null leaves it out. */
  adminPrefix?: string | null;
  /**
   * Answer doorman's errors (AuthError, e.g. from checkObjectPermission) thrown in the host's
   * own routes with doorman's DRF bodies: installs an error handler in the scope the plugin is
   * registered in that handles AuthError and passes everything else on (default true). Set
   * false when you set your own handler there, and call sendAuthError from it.
   */
  errorHandler?: boolean;
  /** The route prefix for everything doorman adds (the host's choice, e.g. "/auth"). */
  prefix?: string;
}

/** DRF accepts an empty JSON body as {}; so do we, and a form-encoded body too. */
function installBodyParsing(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  // DRF parses JSON and forms only; text/plain is 415 as there.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, {});
    json(request, body as string, done);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && ['POST', 'PUT', 'PATCH'].includes(request.method)) request.body = {};
  });
}

function prefixed(prefix: string, routes: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(routes).map(([url, methods]) => [prefix + url, methods]));
}

const routes: FastifyPluginAsync<DoormanPluginOptions> = async (app, options) => {
  const { doorman } = options;
  const accountPrefix = options.accountPrefix ?? '/account';
  const apiTokenPrefix = options.apiTokenPrefix === undefined ? '/api/token' : options.apiTokenPrefix;
  installErrorHandling(app, { notFound: false });
  installBodyParsing(app);
  const base = `${app.prefix}${accountPrefix}`;
  // No trailing slash: the cookie then also goes to ".../refresh" (RFC 6265 §5.1.4 path-match).
  const cookies = createCookieMode(doorman, { refresh: `${base}/token/refresh`, logout: `${base}/logout` });
  rememberCookieMode(doorman, cookies);
  await app.register(accountRoutes, { doorman, cookies, prefix: accountPrefix });
  await app.register(accountTokenRoutes, { doorman, cookies, prefix: `${accountPrefix}/token` });
  const table = { ...prefixed(accountPrefix, ACCOUNT_ROUTES), ...prefixed(`${accountPrefix}/token`, ACCOUNT_TOKEN_ROUTES) };
  if (apiTokenPrefix !== null) {
    await app.register(apiTokenRoutes, { doorman, prefix: apiTokenPrefix });
    Object.assign(table, prefixed(apiTokenPrefix, API_TOKEN_ROUTES));
  }
  const adminPrefix = options.adminPrefix === undefined ? '/admin' : options.adminPrefix;
  if (adminPrefix !== null) {
    await app.register(adminRoutes, { doorman, prefix: adminPrefix });
    Object.assign(table, prefixed(adminPrefix, ADMIN_ROUTES));
  }
  await app.register(wellKnownRoutes, { doorman, jwksPath: `${app.prefix}/.well-known/jwks.json` });
  Object.assign(table, WELL_KNOWN_ROUTES);
  methodNotAllowed(app, table);
};

/** AuthError → doorman's body; anything else goes on to the host's outer (or Fastify's default) handler. */
function installAuthErrorHandler(app: FastifyInstance): void {
  try {
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof AuthError) return sendAuthError(reply, error);
      throw error;
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'FST_ERR_ERROR_HANDLER_ALREADY_SET') throw error;
    app.log.warn('doorman: this scope already has an error handler; map AuthError with sendAuthError() there, or pass errorHandler: false');
  }
}

/**
 * doorman as a Fastify plugin (fastify-plugin, so its decorators reach the host): decorates
 * `request.auth` (null until authenticated, e.g. by requirePermission) and `app.doorman`, and
 * adds the account, token and admin routes under `prefix` in their own encapsulated context
 * (their error handler and body parsing do not leak into the host).
 *
 * @example
 * const doorman = createDoorman({ config, storage });
 * await app.register(doormanPlugin, { doorman, prefix: '/auth' });
 * app.get('/reports', { preValidation: requirePermission(isAdminUser) }, listReports);
 */
export const doormanPlugin = fp<DoormanPluginOptions>(
  async (app, options) => {
    app.decorateRequest('auth', null);
    app.decorate('doorman', options.doorman);
    if (options.errorHandler !== false) installAuthErrorHandler(app);
    // fastify-plugin skips encapsulation, and with it Fastify's own handling of `prefix`, so the
    // prefix is applied to the inner (encapsulated) routes plugin instead.
    // Cookie mode only: the default (header) mode parses no cookies at all.
    if (options.doorman.config.authCookie && !app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
    await app.register(routes, { ...options, prefix: options.prefix ?? '' });
  },
  { name: 'doorman', fastify: '5.x' },
);

declare module 'fastify' {
  interface FastifyInstance {
    doorman: Doorman;
  }
}
