import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fp from 'fastify-plugin';
import type { Doorman } from '../core.js';
import { AuthError } from '../errors/auth-error.js';
import { installAudit } from './audit.js';
import { requestAuthenticator } from './authenticate.js';
import { createCookieMode, type CookieMode } from './cookies.js';
import { installErrorHandling } from './error-handler.js';
import { withPageCookies } from './page-cookies.js';
import { pageRoutes } from './pages.js';
import { methodNotAllowed } from './route-table.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin.js';
import { adminUserRoutes } from './routes/admin-users.js';
import { socialRoutes } from './routes/social.js';
import { auditRoutes } from './routes/audit.js';
import { recoveryRoutes } from './routes/recovery.js';
import { accountTokenRoutes, apiTokenRoutes } from './routes/token.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { noStore, securityHeaders } from './security-headers.js';
import { StorageUnavailableError } from '../storage/ports.js';
import { sendAuthError } from './send-error.js';

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
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && ['POST', 'PUT', 'PATCH'].includes(request.method)) request.body = {};
    done();
  });
}

const routes: FastifyPluginAsync<DoormanPluginOptions & { cookies: CookieMode }> = async (app, options) => {
  const { doorman, cookies } = options;
  const accountPrefix = options.accountPrefix ?? '/account';
  const apiTokenPrefix = options.apiTokenPrefix === undefined ? '/api/token' : options.apiTokenPrefix;
  const adminPrefix = options.adminPrefix === undefined ? '/admin' : options.adminPrefix;
  installErrorHandling(app, { notFound: false });
  installBodyParsing(app);
  installAudit(app, doorman);
  const notAllowed = methodNotAllowed(app);
  noStore(app);
  // In a host's app too: doorman's own answers carry them whatever the host does.
  securityHeaders(app, doorman.config.strictTransportSecurity);
  await app.register(accountRoutes, { doorman, cookies, prefix: accountPrefix });
  await app.register(recoveryRoutes, { doorman, prefix: accountPrefix });
  await app.register(accountTokenRoutes, { doorman, cookies, prefix: `${accountPrefix}/token` });
  await app.register(socialRoutes, { doorman, cookies, prefix: `${accountPrefix}/social` });
  if (apiTokenPrefix !== null) await app.register(apiTokenRoutes, { doorman, prefix: apiTokenPrefix });
  if (adminPrefix !== null) {
    await app.register(adminRoutes, { doorman, prefix: adminPrefix });
    await app.register(adminUserRoutes, { doorman, prefix: adminPrefix });
    await app.register(auditRoutes, { doorman, prefix: adminPrefix });
  }
  await app.register(wellKnownRoutes, { doorman, jwksPath: `${app.prefix}/.well-known/jwks.json` });
  notAllowed.install();
};

/** AuthError → doorman's body; anything else goes on to the host's outer (or Fastify's default) handler. */
function installAuthErrorHandler(app: FastifyInstance): void {
  try {
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof AuthError) return sendAuthError(reply, error);
      if (error instanceof StorageUnavailableError) {
        return sendAuthError(
          reply.header('Retry-After', '1'),
          new AuthError('service_unavailable', { detail: error.reason }),
        );
      }
      throw error;
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'FST_ERR_ERROR_HANDLER_ALREADY_SET') throw error;
    app.log.warn(
      'doorman: this scope already has an error handler; map AuthError with sendAuthError() there, or pass errorHandler: false',
    );
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
    const { doorman } = options;
    const prefix = options.prefix ?? '';
    // No trailing slash: the cookie then also goes to ".../refresh" (RFC 6265 §5.1.4 path-match).
    const base = `${app.prefix}${prefix}${options.accountPrefix ?? '/account'}`;
    const paths = { refresh: `${base}/token/refresh`, logout: `${base}/logout` };
    // The pages bring their own cookie mode (page-cookies.ts); other requests keep the API's.
    const cookies = doorman.config.pages
      ? withPageCookies(doorman, createCookieMode(doorman, paths), paths)
      : createCookieMode(doorman, paths);
    app.decorateRequest('auth', null);
    app.decorate('doorman', doorman);
    // One authentication path: the plugin's routes and the host's (requirePermission) read this.
    app.decorate('doormanAuth', requestAuthenticator(doorman, cookies));
    if (options.errorHandler !== false) installAuthErrorHandler(app);
    // fastify-plugin skips encapsulation, and with it Fastify's own handling of `prefix`, so the
    // prefix is applied to the inner (encapsulated) routes plugin instead.
    // Cookie mode or pages only: an API-only header-mode deployment parses no cookies at all.
    if ((doorman.config.authCookie || doorman.config.pages) && !app.hasRequestDecorator('cookies'))
      await app.register(fastifyCookie);
    await app.register(routes, { ...options, cookies, prefix });
    if (doorman.config.pages) {
      const adminPrefix = options.adminPrefix === undefined ? '/admin' : options.adminPrefix;
      await app.register(pageRoutes, {
        doorman,
        prefix,
        accountPrefix: options.accountPrefix ?? '/account',
        adminPrefix,
      });
    }
  },
  { name: 'doorman', fastify: '5.x' },
);

declare module 'fastify' {
  interface FastifyInstance {
    doorman: Doorman;
  }
}
