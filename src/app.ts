import { readFileSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { pino } from 'pino';
import { AccessLog } from './http/access-log.js';
import type { Doorman } from './core.js';
import { installErrorHandling } from './http/error-handler.js';
import { answerClientError } from './http/client-errors.js';
import { registerApiDocs } from './http/openapi.js';
import { doormanPlugin } from './http/plugin.js';
import { HealthResponse, ReadyResponse, UnreadyResponse } from './http/schemas.js';
import { securityHeaders } from './http/security-headers.js';

export interface BuildAppOptions {
  doorman: Doorman;
  /** pino options or false (default: the configured level, with credentials redacted). */
  logger?: FastifyServerOptions['logger'];
  /** A ready pino logger to use instead (Fastify 5's `loggerInstance`). */
  loggerInstance?: FastifyServerOptions['loggerInstance'];
  /**
   * Where the default logger writes (default: stdout through an asynchronous pino
   * destination). Tests pass a stream to read what the default configuration logs.
   */
  logDestination?: DestinationStream;
}

/**
 * The pino redaction list: credentials never reach the logs, in the shapes a log line can carry
 * them (a request or response serialized, a body). Exact paths only: pino's wildcard paths
 * (`*.password`) made every request's child logger cost ~1 µs more and every line ~3.5 µs more
 * (issue 13). doorman's own lines carry no header, body or query string (src/http/access-log.ts);
 * test/http/logging.test.ts checks that no credential reaches the log.
 */
export function redactPaths(authHeaderName = 'authorization'): string[] {
  const header = authHeaderName.toLowerCase();
  const body = [
    'password',
    'password1',
    'password2',
    'old_password',
    'new_password1',
    'new_password2',
    'refresh',
    'access',
    'token',
    'key',
    'uid',
  ];
  return [
    'req.headers.authorization',
    `req.headers[${JSON.stringify(header)}]`,
    'req.headers.cookie',
    'res.headers["set-cookie"]',
    ...body.flatMap((field) => [`req.body.${field}`, `body.${field}`]),
  ];
}

/** The default redaction list (Authorization header). */
export const REDACT = redactPaths();

/**
 * The default logger: pino at the configured level, credentials redacted, writing to stdout
 * through an asynchronous destination (sonic-boom: lines written while a write is in flight
 * are coalesced into the next one, so a busy server does one write per batch, not per line;
 * pino flushes what is pending synchronously when the process exits). Measured on GET
 * /account/mypage/: Fastify's two request lines written synchronously cost half the throughput
 * (0.228x bare node:http at info vs 0.437x at warn, issue 13).
 */
function defaultLogger(level: string, authHeaderName: string, destination?: DestinationStream) {
  return pino(
    { level, redact: [...new Set(redactPaths(authHeaderName))] },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** doorman's version, for the OpenAPI document (package.json sits beside src/ and dist/). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * The standalone server's Fastify app. Never listens (server.ts does), so tests drive it
 * with inject() (fastify's testing guide).
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options.doorman;
  const own =
    options.loggerInstance === undefined && options.logger === undefined
      ? defaultLogger(config.logLevel, config.authHeaderName, options.logDestination)
      : null;
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : own
        ? { loggerInstance: own }
        : { logger: options.logger }),
    // One access line per request instead of Fastify's two (src/http/access-log.ts).
    logController: new AccessLog(config.accessLog),
    bodyLimit: config.bodyLimit,
    // Slow clients: the whole request (head and body) must arrive within requestTimeout and the
    // head within headersTimeout, or Node answers 408 and closes; checked every second (Node's
    // default check runs every 30 s). connectionTimeout ends a socket idle that long.
    requestTimeout: config.requestTimeout * 1000,
    connectionTimeout: config.requestTimeout * 1000,
    http: { headersTimeout: config.headersTimeout * 1000, connectionsCheckingInterval: 1000 } as never,
    clientErrorHandler: answerClientError as never,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: true, verbose: true } },
  });
  installErrorHandling(app, { notFound: true });
  securityHeaders(app, config.strictTransportSecurity);
  if (config.corsOrigins.length > 0) {
    // Off by default. Only the listed origins; credentials (cookie mode) only when asked.
    await app.register(fastifyCors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      credentials: config.corsCredentials,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', config.authHeaderName, config.csrfHeaderName],
      maxAge: 600,
    });
  }
  // Before the routes: the document is collected from them as they are added.
  if (config.apiDocs) await registerApiDocs(app, config, packageVersion());
  // Liveness: the process serves. Readiness: the database answers and is migrated, so a load
  // balancer sends traffic elsewhere while PostgreSQL is away (issue 13).
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: 200 while the process serves',
        response: { 200: HealthResponse },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and its migrations are current',
        response: { 200: ReadyResponse, 503: UnreadyResponse },
      },
    },
    async (_request, reply) => {
      const problem = await options.doorman.unready();
      if (problem === null) return { status: 'ready' };
      return reply.status(503).header('Retry-After', '1').send({ status: 'unavailable', detail: problem });
    },
  );
  await app.register(doormanPlugin, { doorman: options.doorman, errorHandler: false });
  return app;
}
