import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Config } from '../config/schema.js';

/**
 * The /docs page's Content-Security-Policy: Swagger UI's own files from this server only (no
 * CDN, no inline script), the spec fetched from here, no framing. Swagger UI's script adds
 * <style> elements and style attributes, which CSP counts as inline style (Chromium reports
 * `style-src-elem` without it), hence 'unsafe-inline' for styles only: styles cannot run
 * code. Its logo is a data: image.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function securitySchemes(config: Config) {
  const schemes: Record<string, Record<string, unknown>> = {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token from login, join or refresh: `Authorization: Bearer <access>`.',
    },
  };
  if (config.authCookie) {
    schemes.cookieAuth = {
      type: 'apiKey',
      in: 'cookie',
      name: config.authCookie,
      description: 'Cookie mode: the HttpOnly access cookie set by login, join and refresh.',
    };
    schemes.csrfToken = {
      type: 'apiKey',
      in: 'header',
      name: config.csrfHeaderName,
      description: `Cookie mode: the ${config.csrfCookieName} cookie's value, required on POST/PUT/PATCH/DELETE authenticated by cookie (403 csrf_failed otherwise).`,
    };
  }
  return schemes;
}

const DESCRIPTION = `An account and JWT authentication server speaking the Django REST framework + simplejwt +
dj-rest-auth contract. Errors are DRF's: \`{"detail", "code"}\` or field errors
\`{"<field>": ["message"]}\`; every 401 carries \`WWW-Authenticate: Bearer realm="api"\`.
A path asked with a method it does not answer gets 405 \`{"detail": "Method \\"GET\\" not allowed.", "code": "method_not_allowed"}\`
with an Allow header. Paths work with and without the trailing slash.`;

/**
 * OpenAPI 3.1 generated from the route schemas by @fastify/swagger (never written by hand),
 * at /openapi.json, and Swagger UI at /docs with its assets served from this process. Must be
 * registered before the routes it describes (it collects them with an onRoute hook).
 *
 * @example
 * await registerApiDocs(app, config);
 * await app.register(doormanPlugin, { doorman });
 */
export async function registerApiDocs(app: FastifyInstance, config: Config, version: string): Promise<void> {
  const cookieMode = config.authCookie !== null;
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'doorman', version, description: DESCRIPTION, license: { name: 'MIT', identifier: 'MIT' } },
      components: { securitySchemes: securitySchemes(config) as never },
      tags: [
        { name: 'account', description: 'dj-rest-auth: join, login, logout, the user, passwords' },
        { name: 'token', description: 'simplejwt: obtain, refresh, verify, blacklist, sliding tokens' },
        { name: 'admin', description: 'Staff only: groups and model permissions' },
        { name: 'keys', description: 'Public keys for other verifiers' },
        { name: 'operations', description: 'Health and readiness probes' },
      ],
    },
    // Cookie mode: every route that takes a bearer token takes the access cookie too (with the
    // CSRF header on unsafe methods).
    transform: ({ schema, url, route }) => {
      const given = schema as { body?: unknown; security?: Array<Record<string, string[]>> } | undefined;
      if (!given) return { schema, url };
      // Bodies are read as JSON or as a form, as DRF's default parsers.
      const consumes = given.body ? { consumes: ['application/json', 'application/x-www-form-urlencoded'] } : {};
      let security = given.security;
      if (cookieMode && security?.some((s) => 'bearerAuth' in s)) {
        const methods = ([] as string[]).concat((route as RouteOptions).method);
        security = [
          ...security,
          methods.every((m) => SAFE.has(m)) ? { cookieAuth: [] } : { cookieAuth: [], csrfToken: [] },
        ];
      }
      return { schema: { ...given, ...consumes, ...(security ? { security } : {}) } as never, url };
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: DOCS_CSP,
    uiConfig: { deepLinking: true, tryItOutEnabled: false, persistAuthorization: false },
    validatorUrl: null as never,
  });
  app.get('/openapi.json', { schema: { hide: true } as never }, async () => app.swagger());
}
