import type { PermissionUser } from '../../src/permissions/types.js';

export const user = (id: number, extra: Partial<PermissionUser> = {}): PermissionUser => ({
  id,
  email: `u${id}@example.com`,
  isActive: true,
  isStaff: false,
  isSuperuser: false,
  permissions: new Set(),
  ...extra,
});

/** The cast: anonymous, a normal user (who owns the post), another user, staff, superuser, a user granted board perms. */
export const USERS = {
  anonymous: null,
  owner: user(1),
  other: user(2),
  staff: user(3, { isStaff: true }),
  superuser: user(4, { isSuperuser: true, isStaff: true }),
  editor: user(5, { permissions: new Set(['board.add_post', 'board.change_post', 'board.delete_post']) }),
  inactiveSuperuser: user(6, { isSuperuser: true, isActive: false }),
} as const;
