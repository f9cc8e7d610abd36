import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Doorman } from './core.js';
import { installErrorHandling } from './http/error-handler.js';
import { answerClientError } from './http/client-errors.js';
import { doormanPlugin } from './http/plugin.js';
import { securityHeaders } from './http/security-headers.js';

export interface BuildAppOptions {
  doorman: Doorman;
  /** pino options or false (default: the configured level, with credentials redacted). */
  logger?: FastifyServerOptions['logger'];
  /** A ready pino logger to use instead (Fastify 5's `loggerInstance`). */
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

/** The pino redaction list: credentials never reach the logs. */
export const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.password1', '*.password2', '*.refresh', '*.token'];

/**
 * The standalone server's Fastify app. Never listens (server.ts does), so tests drive it
 * with inject() (fastify's testing guide).
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options.doorman;
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? { level: config.logLevel, redact: REDACT } }),
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
  // Liveness: the process serves. Readiness: the database answers and is migrated, so a load
  // balancer sends traffic elsewhere while PostgreSQL is away (issue 13).
  app.get('/healthz', { schema: { hide: true } as never }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } as never }, async (_request, reply) => {
    const problem = await options.doorman.unready();
    if (problem === null) return { status: 'ready' };
    return reply.status(503).header('Retry-After', '1').send({ status: 'unavailable', detail: problem });
  });
  await app.register(doormanPlugin, { doorman: options.doorman, errorHandler: false });
  return app;
}
