import type { FastifyInstance } from 'fastify';
import { PASSWORD } from '../helpers.js';

/** The contract's bodies, written out once so each test can compare with toEqual. */

export const CHALLENGE = 'Bearer realm="api"';

/** 401 for an access token that does not verify on a protected route (simplejwt JWTAuthentication). */
export function invalidAccess(message: string) {
  return {
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
    messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
  };
}

/** 401 from a token view (simplejwt TokenViewBase: InvalidToken(e.args[0])). */
export function tokenNotValid(detail: string) {
  return { detail, code: 'token_not_valid' };
}

export const NOT_AUTHENTICATED = { detail: 'Authentication credentials were not provided.', code: 'not_authenticated' };
export const BLACKLISTED = tokenNotValid('Token is blacklisted');
export const BAD_CREDENTIALS = { non_field_errors: ['Unable to log in with provided credentials.'] };
export const NO_ACTIVE_ACCOUNT = {
  detail: 'No active account found with the given credentials',
  code: 'no_active_account',
};
export const REQUIRED = ['This field is required.'];

/** POST JSON. */
export function post(app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });
}

/** /account/login/ with the test password; throws unless 200. */
export async function login(app: FastifyInstance, email = 'kim@example.com', password = PASSWORD) {
  const response = await post(app, '/account/login/', { email, password });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json() as { access: string; refresh: string; user: { pk: number; email: string } };
}

/** simplejwt's pair view with the test password; throws unless 200. */
export async function obtainPair(app: FastifyInstance, email = 'kim@example.com', password = PASSWORD) {
  const response = await post(app, '/api/token/', { email, password });
  if (response.statusCode !== 200) throw new Error(`obtain failed: ${response.statusCode} ${response.body}`);
  return response.json() as { access: string; refresh: string };
}
