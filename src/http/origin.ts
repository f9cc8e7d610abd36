import type { FastifyRequest } from 'fastify';
import type { SessionOrigin } from '../tokens/issue.js';

/** Where a request comes from, recorded with the session it opens (request.ip honours trustProxy). */
export function originOf(request: FastifyRequest): SessionOrigin {
  return { userAgent: request.headers['user-agent'] ?? null, ip: request.ip };
}
