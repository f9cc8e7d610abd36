import type { FastifyInstance } from 'fastify';
import { AuthError } from '../errors/auth-error.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Records which methods each path answers, then answers the others with DRF's 405
 * (`Method "GET" not allowed.`) and an Allow header, instead of Fastify's 404.
 */
export function methodNotAllowed(app: FastifyInstance, routes: Record<string, string[]>): void {
  for (const [url, methods] of Object.entries(routes)) {
    const others = METHODS.filter((m) => !methods.includes(m));
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
}
