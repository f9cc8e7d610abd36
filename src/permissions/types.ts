/**
 * What a permission looks at: the request method and who is asking. Built by the HTTP edge
 * from `request.auth`; domain code never sees Fastify.
 */
export interface PermissionUser {
  id: number;
  email: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  /**
   * Model permissions granted to the user directly or through groups (`<app>.<codename>`),
   * loaded only when a permission in use needs them; null when not loaded.
   */
  permissions: ReadonlySet<string> | null;
}

export interface PermissionSubject {
  /** The HTTP method, upper-case. */
  method: string;
  /** The authenticated user, or null for an anonymous request. */
  user: PermissionUser | null;
}

/**
 * A DRF permission class as a value: `hasPermission` runs before the handler (DRF's
 * `check_permissions`), `hasObjectPermission` when the handler has loaded the object it acts
 * on (DRF's `check_object_permissions` in retrieve/update/delete).
 *
 * @example
 * const isOwner: Permission<{ ownerId: number }> = permission({
 *   hasObjectPermission: (subject, post) => subject.user?.id === post.ownerId,
 * });
 */
export interface Permission<O = any> {
  hasPermission(subject: PermissionSubject): boolean;
  hasObjectPermission(subject: PermissionSubject, object: O): boolean;
  /** The 403 detail when this permission denies (DRF's `message`); the default otherwise. */
  readonly message?: string;
  /** True when it reads `user.permissions`, so the edge loads them (cached) first. */
  readonly needsModelPermissions?: boolean;
}

/** DRF's SAFE_METHODS. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Makes a permission from the parts you define; the others allow, as DRF's BasePermission.
 *
 * @example
 * const weekdaysOnly = permission({ hasPermission: () => new Date().getDay() % 6 !== 0, message: 'Come back on Monday.' });
 */
export function permission<O = any>(parts: Partial<Permission<O>>): Permission<O> {
  return {
    hasPermission: parts.hasPermission ?? (() => true),
    hasObjectPermission: parts.hasObjectPermission ?? (() => true),
    ...(parts.message !== undefined ? { message: parts.message } : {}),
    ...(parts.needsModelPermissions ? { needsModelPermissions: true } : {}),
  };
}
