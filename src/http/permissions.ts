import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/authenticate.js';
import { AuthError } from '../errors/auth-error.js';
import { assertObjectPermission, assertPermission } from '../permissions/check.js';
import type { Permission, PermissionSubject } from '../permissions/types.js';
import { sendAuthError } from './send-error.js';

function registered(request: FastifyRequest) {
  const server = request.server as Partial<Pick<FastifyRequest['server'], 'doorman' | 'doormanAuth'>>;
  if (!server.doorman || !server.doormanAuth) {
    throw new TypeError(
      'doorman is not registered on this Fastify instance: app.register(doormanPlugin, { doorman }) first',
    );
  }
  return { doorman: server.doorman, auth: server.doormanAuth };
}

/**
 * Authenticates the request once (an authenticated result is kept on `request.auth`; a request
 * without credentials is cheap to look at again): the user and claims, or null when no
 * credentials came. A bad token is 401 token_not_valid, as in DRF, even on routes anyone may use.
 *
 * @example
 * const auth = await authenticateRequest(request); // AuthContext | null
 */
export async function authenticateRequest(request: FastifyRequest): Promise<AuthContext | null> {
  return authenticatedNow(request);
}

/**
 * The authenticated user of a request that passed `requirePermission(isAuthenticated)` (or any
 * permission that needs a user): typed, no `!`. Throws 401 not_authenticated when there is none.
 *
 * @example
 * app.get('/me', { preValidation: requirePermission(isAuthenticated) }, async (request) => userOf(request).user.email);
 */
export function userOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AuthError('not_authenticated');
  return request.auth;
}

/**
 * authenticateRequest, but the answer itself when it is at hand (doorman's own token, the user
 * cached: the steady state), a promise only when I/O is needed. Every async step on the way
 * cost a promise and a microtask hop on every authenticated request (issue 13).
 */
function authenticatedNow(request: FastifyRequest): AuthContext | null | Promise<AuthContext | null> {
  if (request.auth) return request.auth;
  const auth = registered(request).auth.authenticateNow(request);
  if (auth instanceof Promise) return auth.then((found) => (request.auth = found));
  request.auth = auth;
  return auth;
}

/** What the permissions see: the method and the user, with model permissions when one needs them. */
async function subjectOf(request: FastifyRequest, permissions: readonly Permission[]): Promise<PermissionSubject> {
  return subjectFor(request, await authenticateRequest(request), permissions);
}

function subjectFor(
  request: FastifyRequest,
  auth: AuthContext | null,
  permissions: readonly Permission[],
): PermissionSubject | Promise<PermissionSubject> {
  if (!auth) return { method: request.method, user: null };
  const needs = permissions.some((p) => p.needsModelPermissions);
  if (!needs || auth.user.isSuperuser) return { method: request.method, user: { ...auth.user, permissions: null } };
  return registered(request)
    .doorman.permissions.of(auth.userId)
    .then((granted) => ({ method: request.method, user: { ...auth.user, permissions: granted } }));
}

/**
 * A preValidation (or preHandler) hook that authenticates the request and checks DRF-style
 * permissions before the handler runs (all must allow; the first that does not decides).
 * Anonymous → 401 not_authenticated with WWW-Authenticate; a user without the permission → 403
 * permission_denied. Answers with doorman's DRF bodies whatever the host's error handler. As
 * preValidation it runs before body validation, as DRF authenticates before the serializer sees
 * the body: an anonymous caller learns nothing about the body's fields.
 *
 * @example
 * app.post('/posts/', { preValidation: requirePermission(isAuthenticated) }, async (request) => {
 *   return createPost(userOf(request).userId, request.body);
 * });
 */
export function requirePermission(...permissions: Permission[]) {
  if (permissions.length === 0)
    throw new TypeError('requirePermission() needs at least one permission (use allowAny to allow every request)');
  return async function checkPermissions(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      // In the steady state nothing below awaits: one promise per request, Fastify's.
      const found = authenticatedNow(request);
      const auth = found instanceof Promise ? await found : found;
      const subject = subjectFor(request, auth, permissions);
      assertPermission(subject instanceof Promise ? await subject : subject, permissions);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return sendAuthError(reply, error);
    }
  };
}

/**
 * DRF's object-level check, for retrieve/update/delete once the handler has loaded the object:
 * throws AuthError (401 for anonymous, 403 permission_denied otherwise). Pass one permission or
 * a list (all must allow).
 *
 * @example
 * const post = await posts.find(id);
 * await checkObjectPermission(request, isOwner((p: Post) => p.ownerId), post);
 */
export async function checkObjectPermission<O>(
  request: FastifyRequest,
  permission: Permission<O> | readonly Permission<O>[],
  object: O,
): Promise<void> {
  const list: readonly Permission<O>[] = Array.isArray(permission) ? permission : [permission as Permission<O>];
  assertObjectPermission(await subjectOf(request, list), list, object);
}
