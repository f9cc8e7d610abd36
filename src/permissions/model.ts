import { AuthError } from '../errors/auth-error.js';
import { modelPermission, type ModelAction } from './names.js';
import type { Permission, PermissionSubject, PermissionUser } from './types.js';
import { SAFE_METHODS } from './types.js';

/**
 * Django's `User.has_perms`: an active superuser has every permission, an inactive user none,
 * anyone else what was granted to them or their groups. An empty list is always satisfied.
 *
 * @example
 * hasPerms(user, ['board.change_post'])
 */
export function hasPerms(user: PermissionUser | null, perms: readonly string[]): boolean {
  if (perms.length === 0) return true;
  if (!user || !user.isActive) return false;
  if (user.isSuperuser) return true;
  const granted = user.permissions;
  return granted !== null && perms.every((p) => granted.has(p));
}

export interface ModelPermissionOptions {
  /**
   * Also require `view_<model>` for GET and HEAD. DRF's own map requires nothing for safe
   * methods (every DRF project that wants view permissions subclasses it); this is that subclass.
   */
  viewOnRead?: boolean;
}

/** DRF's perms_map: POST add, PUT/PATCH change, DELETE delete, safe methods nothing; other methods are denied. */
function requiredPerms(model: string, method: string, options: ModelPermissionOptions): string[] | null {
  const action: ModelAction | null | undefined = {
    GET: options.viewOnRead ? 'view' : null,
    HEAD: options.viewOnRead ? 'view' : null,
    OPTIONS: null,
    POST: 'add',
    PUT: 'change',
    PATCH: 'change',
    DELETE: 'delete',
  }[method] as ModelAction | null | undefined;
  if (action === undefined) return null;
  return action === null ? [] : [modelPermission(model, action)];
}

function modelPermissions(model: string, options: ModelPermissionOptions, usersOnly: boolean): Permission {
  modelPermission(model, 'add'); // fail fast on a malformed model name
  return {
    hasPermission(s: PermissionSubject) {
      if (usersOnly && !s.user) return false;
      const perms = requiredPerms(model, s.method, options);
      return perms !== null && hasPerms(s.user, perms);
    },
    hasObjectPermission: () => true,
    needsModelPermissions: true,
  };
}

/**
 * DRF's DjangoModelPermissions: an authenticated user with the model permission the method
 * needs (`board.add_post` for POST, `change` for PUT/PATCH, `delete` for DELETE).
 *
 * @example
 * app.delete('/posts/:id', { preHandler: requirePermission(djangoModelPermissions('board.post')) }, remove);
 */
export function djangoModelPermissions(model: string, options: ModelPermissionOptions = {}): Permission {
  return modelPermissions(model, options, true);
}

/**
 * DRF's DjangoModelPermissionsOrAnonReadOnly: as djangoModelPermissions, but anonymous
 * requests may read.
 *
 * @example
 * requirePermission(djangoModelPermissionsOrAnonReadOnly('board.post'))
 */
export function djangoModelPermissionsOrAnonReadOnly(model: string, options: ModelPermissionOptions = {}): Permission {
  return modelPermissions(model, options, false);
}

export interface ObjectPermissionOptions<O> extends ModelPermissionOptions {
  /**
   * Per-object grants (django-guardian's role). Django's own backend grants no object
   * permissions, so without this only active superusers pass the object check.
   */
  objectPermission?: (user: PermissionUser, perm: string, object: O) => boolean;
}

/**
 * DRF's DjangoObjectPermissions: the model permission up front, then the same permission on
 * the object. Like DRF, a user who may not even read the object gets 404, not 403, so its
 * existence is not revealed.
 *
 * @example
 * djangoObjectPermissions<Post>('board.post', { objectPermission: (user, perm, post) => grants.has(user.id, perm, post.id) })
 */
export function djangoObjectPermissions<O = any>(
  model: string,
  options: ObjectPermissionOptions<O> = {},
): Permission<O> {
  const base = modelPermissions(model, options, true);
  const objectPerms = (user: PermissionUser | null, perms: string[], object: O) => {
    if (perms.length === 0) return true;
    if (!user || !user.isActive) return false;
    if (user.isSuperuser) return true;
    const check = options.objectPermission;
    return check !== undefined && perms.every((p) => check(user, p, object));
  };
  return {
    hasPermission: base.hasPermission,
    hasObjectPermission(s, object) {
      const perms = requiredPerms(model, s.method, options) ?? [];
      if (objectPerms(s.user, perms, object)) return true;
      if (SAFE_METHODS.has(s.method)) throw new AuthError('not_found');
      if (!objectPerms(s.user, requiredPerms(model, 'GET', options) ?? [], object)) throw new AuthError('not_found');
      return false;
    },
    needsModelPermissions: true,
  };
}
