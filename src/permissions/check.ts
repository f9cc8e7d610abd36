import { AuthError } from '../errors/auth-error.js';
import type { Permission, PermissionSubject } from './types.js';

/**
 * DRF's `permission_denied`: an unauthenticated request is told to authenticate (401
 * not_authenticated), a user is refused (403 permission_denied, with the permission's message).
 */
function denied(subject: PermissionSubject, permission: Permission): AuthError {
  if (!subject.user) return new AuthError('not_authenticated');
  return new AuthError('permission_denied', permission.message ? { detail: permission.message } : {});
}

/**
 * DRF's `check_permissions`: every permission must allow; the first that does not decides the
 * error. Throws AuthError (401 or 403).
 *
 * @example
 * assertPermission({ method: 'POST', user: null }, [isAuthenticated]) // throws not_authenticated
 */
export function assertPermission(subject: PermissionSubject, permissions: readonly Permission[]): void {
  for (const p of permissions) if (!p.hasPermission(subject)) throw denied(subject, p);
}

/**
 * DRF's `check_object_permissions`, for retrieve/update/delete once the object is loaded.
 *
 * @example
 * assertObjectPermission(subject, [isOwner((p: Post) => p.ownerId)], post)
 */
export function assertObjectPermission<O>(
  subject: PermissionSubject,
  permissions: readonly Permission<O>[],
  object: O,
): void {
  for (const p of permissions) if (!p.hasObjectPermission(subject, object)) throw denied(subject, p);
}
