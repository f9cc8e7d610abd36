import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Doorman } from '../core.js';
import type { User } from '../users/types.js';
import type { CookieMode } from './cookies.js';
import { originOf } from './origin.js';
import { authBody } from './responses.js';

/**
 * The answer of every sign-in (join, login, social login): a new session's tokens, in cookies in
 * cookie mode, and in the body, except the refresh token in HttpOnly cookie mode unless the client
 * asks for it (cookies.refreshInBody).
 */
export async function signIn(
  doorman: Doorman,
  cookies: CookieMode,
  request: FastifyRequest,
  reply: FastifyReply,
  user: User,
) {
  const pair = await doorman.tokens.issuePair(user, originOf(request));
  if (cookies.enabled) cookies.set(reply, pair);
  const body = authBody(doorman.config, pair, user);
  if (cookies.refreshInBody(request)) return body;
  const { refresh: _omitted, ...rest } = body;
  return rest;
}
