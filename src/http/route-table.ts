import type { FastifyInstance } from 'fastify';
import { AuthError } from '../errors/auth-error.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * DRF answers a method a view does not have with 405 (`Method "GET" not allowed.`) and an
 * Allow header, where Fastify would answer 404. Call this before registering routes in `app`'s
 * context: an `onRoute` hook records each path's methods as routes are added (so no route can
 * be added without its 405), and `install()`, called after them, adds the 405 routes.
 */
export function methodNotAllowed(app: FastifyInstance): { install(): void } {
  const table = new Map<string, Set<string>>();
  let installing = false;
  app.addHook('onRoute', (route) => {
    if (installing) return;
    // Relative to `app`, whose prefix app.route() below adds again.
    const url = route.url.slice(app.prefix.length);
    const methods = table.get(url) ?? new Set<string>();
    // HEAD is the one Fastify adds for each GET (exposeHeadRoutes); Allow lists it from GET.
    for (const method of [route.method].flat()) if (method !== 'HEAD') methods.add(method);
    table.set(url, methods);
  });

  return {
    install() {
      installing = true;
      for (const [url, known] of table) {
        const methods = METHODS.filter((m) => known.has(m));
        const others = METHODS.filter((m) => !known.has(m));
        if (others.length === 0) continue;
        const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
        app.route({
          method: others,
          url,
          schema: { hide: true } as never,
          handler: async (request, reply) => {
            reply.header('Allow', allow);
            const error = new AuthError('method_not_allowed', { detail: `Method "${request.method}" not allowed.` });
            return reply.status(405).send(error.toBody());
          },
        });
      }
    },
  };
}
