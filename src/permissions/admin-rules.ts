import { hasPerms } from './model.js';
import { permission, type Permission } from './types.js';

/**
 * Django's admin rules for the admin API: `is_staff` lets a user in, and then each action needs
 * its model permission (a superuser has them all), as Django's ModelAdmin.has_*_permission.
 *
 * @example
 * app.get('/groups/', { preHandler: requirePermission(staffWith('auth.view_group')) }, list);
 */
export function staffWith(...perms: string[]): Permission {
  return permission({
    needsModelPermissions: true,
    hasPermission: (s) => s.user?.isStaff === true && hasPerms(s.user, perms),
  });
}

/**
 * Actions that hand out permissions (to a user, to a group, or by making someone staff or
 * superuser) need a superuser: otherwise a staff member with `change_user` or `change_group`
 * could grant themselves anything (issue 14).
 */
export const superuserOnly: Permission = permission({
  hasPermission: (s) => s.user?.isStaff === true && s.user.isSuperuser === true && s.user.isActive === true,
});
