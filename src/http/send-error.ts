import type { FastifyReply } from 'fastify';
import type { AuthError } from '../errors/auth-error.js';
import { CHALLENGE } from '../tokens/rules.js';

export { CHALLENGE };

/**
 * Sends an AuthError as doorman answers it: its status, DRF body, and the Bearer challenge on 401.
 * For host error handlers that want doorman's bodies for doorman's errors.
 *
 * @example
 * app.setErrorHandler((error, request, reply) => {
 *   if (error instanceof AuthError) return sendAuthError(reply, error);
 *   reply.send(error);
 * });
 */
export function sendAuthError(reply: FastifyReply, error: AuthError): FastifyReply {
  if (error.status === 401) reply.header('WWW-Authenticate', CHALLENGE);
  if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
  return reply.status(error.status).send(error.toBody());
}
