import { permission, SAFE_METHODS, type Permission } from './types.js';

/**
 * DRF's AllowAny: every request, authenticated or not.
 *
 * @example
 * app.get('/ping', { preHandler: requirePermission(allowAny) }, async () => 'pong');
 */
export const allowAny: Permission = permission({});

/**
 * DRF's IsAuthenticated: any authenticated user (anonymous → 401).
 *
 * @example
 * app.get('/me', { preHandler: requirePermission(isAuthenticated) }, async (request) => request.auth!.user);
 */
export const isAuthenticated: Permission = permission({ hasPermission: (s) => s.user !== null });

/**
 * DRF's IsAuthenticatedOrReadOnly: anyone may GET/HEAD/OPTIONS, only users may write.
 *
 * @example
 * app.post('/posts/', { preHandler: requirePermission(isAuthenticatedOrReadOnly) }, createPost);
 */
export const isAuthenticatedOrReadOnly: Permission = permission({
  hasPermission: (s) => SAFE_METHODS.has(s.method) || s.user !== null,
});

/**
 * DRF's IsAdminUser: users with `is_staff` (not "superuser"; Django's admin flag).
 *
 * @example
 * app.get('/admin/stats', { preHandler: requirePermission(isAdminUser) }, stats);
 */
export const isAdminUser: Permission = permission({ hasPermission: (s) => s.user?.isStaff === true });

/**
 * Only safe methods (DRF's documented `ReadOnly` example): compose it, e.g. `or(readOnly, isOwner)`.
 *
 * @example
 * const isOwnerOrReadOnly = or(readOnly, isOwner((post) => post.ownerId));
 */
export const readOnly: Permission = permission({ hasPermission: (s) => SAFE_METHODS.has(s.method) });

/**
 * The seed's IsOwner: object-level, the authenticated user owns the object.
 *
 * @example
 * await checkObjectPermission(request, isOwner((post: Post) => post.ownerId), post);
 */
export function isOwner<O>(ownerOf: (object: O) => number | null | undefined): Permission<O> {
  return permission<O>({
    hasObjectPermission: (s, object) => s.user !== null && ownerOf(object) === s.user.id,
  });
}
