import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Doorman } from '../core.js';
import { installErrorHandling } from './error-handler.js';
import { methodNotAllowed } from './route-table.js';
import { ACCOUNT_ROUTES, accountRoutes } from './routes/account.js';
import { ACCOUNT_TOKEN_ROUTES, API_TOKEN_ROUTES, accountTokenRoutes, apiTokenRoutes } from './routes/token.js';

export interface DoormanPluginOptions {
  doorman: Doorman;
  /** Where dj-rest-auth's account routes live (default "/account"). */
  accountPrefix?: string;
  /** Where simplejwt's token views live (default "/api/token"); null leaves them out. */
  apiTokenPrefix?: string | null;
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
  await app.register(accountRoutes, { doorman, prefix: accountPrefix });
  await app.register(accountTokenRoutes, { doorman, prefix: `${accountPrefix}/token` });
  const table = { ...prefixed(accountPrefix, ACCOUNT_ROUTES), ...prefixed(`${accountPrefix}/token`, ACCOUNT_TOKEN_ROUTES) };
  if (apiTokenPrefix !== null) {
    await app.register(apiTokenRoutes, { doorman, prefix: apiTokenPrefix });
    Object.assign(table, prefixed(apiTokenPrefix, API_TOKEN_ROUTES));
  }
  methodNotAllowed(app, table);
};

/**
 * doorman as a Fastify plugin: decorates `request.auth` (null until an authenticating
 * preHandler runs) and `app.doorman`, and adds the account and token routes in their own
 * encapsulated context (their error handler and body parsing do not leak into the host).
 *
 * @example
 * const doorman = createDoorman({ config, storage });
 * await app.register(doormanPlugin, { doorman, prefix: '/auth' });
 */
export const doormanPlugin = fp<DoormanPluginOptions & { prefix?: string }>(
  async (app, options) => {
    app.decorateRequest('auth', null);
    app.decorate('doorman', options.doorman);
    await app.register(routes, { ...options, prefix: options.prefix ?? '' });
  },
  { name: 'doorman', fastify: '5.x' },
);

declare module 'fastify' {
  interface FastifyInstance {
    doorman: Doorman;
  }
}
