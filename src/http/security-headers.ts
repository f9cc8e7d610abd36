import type { FastifyInstance } from 'fastify';

/** The decorator that says this instance (or an ancestor) already sets the security headers. */
const INSTALLED = 'doormanSecurityHeaders';

/**
 * Security headers by a tiny onSend hook rather than @fastify/helmet: doorman answers JSON
 * only, so helmet's page-oriented headers (CSP, COEP, X-Frame-Options, ...) would add bytes
 * to every answer and protect nothing, while the three that matter here are three lines.
 *
 * - `X-Content-Type-Options: nosniff` on every answer: a browser never reads a JSON body as script or HTML.
 * - `Referrer-Policy: no-referrer` on every answer: no URL of ours leaks to a linked site.
 * - `Strict-Transport-Security` when configured (off by default: only a deployment served
 *   over TLS may send it, and a wrong one locks browsers out of http for max-age).
 */
export function securityHeaders(app: FastifyInstance, hsts: string | null): void {
  // Once per request: doorman's own server installs them at its root, and the plugin's routes
  // inside it inherit that (the decorator is how the plugin sees it; a host's app has none).
  if (app.hasDecorator(INSTALLED)) return;
  app.decorate(INSTALLED, true);
  // Callback style, not async: every answer runs these, and an async hook costs a promise and a
  // microtask hop each (issue 13: GET /account/mypage/ against bare node:http).
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (hsts) reply.header('Strict-Transport-Security', hsts);
    done(null, payload);
  });
}

/**
 * `Cache-Control: no-store` on every doorman answer unless the route set its own (the public
 * JWKS and discovery documents): bodies carry tokens and users, which no cache may keep
 * (RFC 6749 §5.1), and an error can name an account.
 */
export function noStore(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('Cache-Control')) {
      reply.header('Cache-Control', 'no-store');
      reply.header('Pragma', 'no-cache');
    }
    done(null, payload);
  });
}
