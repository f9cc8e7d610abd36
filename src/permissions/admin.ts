import { AuthError, invalidFields } from '../errors/auth-error.js';
import { publish } from '../revocation/events.js';
import type { Revocation } from '../revocation/revocation.js';
import type { RevocationView } from '../revocation/view.js';
import { DuplicateGroupError, type Group, type Storage } from '../storage/ports.js';
import { parsePermissionName } from './names.js';

export interface GroupView extends Group {
  permissions: string[];
}

/** What the admin API shows for a user: own permissions, groups, and everything combined. */
export interface UserPermissionsView {
  user: number;
  email: string;
  is_staff: boolean;
  is_superuser: boolean;
  groups: Group[];
  user_permissions: string[];
  all_permissions: string[];
}

/**
 * Django's auth admin for groups and model permissions. A missing group or user is
 * `not_found`; a bad permission name or group name is a 400 field error.
 */
export interface PermissionAdmin {
  /** The user's permissions, own and through groups: cached, so the steady state does no query. */
  of(userId: number): Promise<ReadonlySet<string>>;
  listGroups(): Promise<GroupView[]>;
  group(groupId: number): Promise<GroupView>;
  findGroup(name: string): Promise<Group | null>;
  createGroup(name: unknown): Promise<GroupView>;
  deleteGroup(groupId: number): Promise<void>;
  grantToGroup(groupId: number, permission: unknown): Promise<GroupView>;
  revokeFromGroup(groupId: number, permission: unknown): Promise<GroupView>;
  describeUser(userId: number): Promise<UserPermissionsView>;
  grantToUser(userId: number, permission: unknown): Promise<void>;
  revokeFromUser(userId: number, permission: unknown): Promise<void>;
  addToGroup(userId: number, groupId: number): Promise<void>;
  removeFromGroup(userId: number, groupId: number): Promise<void>;
  /** Tells every process that grants changed, after a bulk change made through the store (import-django). */
  changed(): Promise<void>;
  /**
   * Grants or takes away staff status (Django's is_staff, what IsAdminUser checks). Every
   * process drops its cached state of the user: here at once, elsewhere at the next poll.
   */
  setStaff(userId: number, isStaff: boolean): Promise<StaffView>;
}

/** A user's staff status, as the admin API answers it. */
export interface StaffView {
  pk: number;
  email: string;
  is_staff: boolean;
}

/**
 * Django's auth admin for groups and model permissions, over the storage port: the CLI and
 * the admin API both drive this. Every change drops the cached permission sets here at once
 * and, through a `permissions_changed` event, in every other process within one poll.
 *
 * @example
 * const group = await doorman.permissions.createGroup('editors');
 * await doorman.permissions.grantToGroup(group.id, 'board.change_post');
 * await doorman.permissions.addToGroup(user.id, group.id);
 */
export function createPermissionAdmin(
  storage: Storage,
  view: RevocationView,
  now: () => number,
  revocation: Pick<Revocation, 'userChanged'>,
): PermissionAdmin {
  const store = storage.permissions;

  async function changed(): Promise<void> {
    view.forgetAllPermissions();
    await publish(storage.events, 'permissions_changed', '*', now());
  }

  function permissionName(name: unknown, field = 'permission'): string {
    if (!parsePermissionName(name))
      throw invalidFields({ [field]: ['Enter a permission as "<app_label>.<codename>", e.g. "board.change_post".'] });
    return name as string;
  }

  async function group(groupId: number): Promise<GroupView> {
    const found = (await store.listGroups()).find((g) => g.id === groupId);
    if (!found) throw new AuthError('not_found');
    return found;
  }

  async function user(userId: number) {
    const found = await storage.users.findById(userId);
    if (!found) throw new AuthError('not_found');
    return found;
  }

  return {
    async of(userId: number): Promise<ReadonlySet<string>> {
      const cached = view.permissions(userId);
      if (cached) return cached;
      const loaded: ReadonlySet<string> = new Set(await store.permissionsOf(userId));
      view.cachePermissions(userId, loaded);
      return loaded;
    },
    listGroups: () => store.listGroups(),
    /** Tells every process that grants changed, after a bulk change made through the store (import-django). */
    changed,
    group,
    findGroup: (name: string) => store.findGroup(name),
    async createGroup(name: unknown): Promise<GroupView> {
      if (typeof name !== 'string' || name.trim() === '')
        throw invalidFields({ name: ['This field may not be blank.'] });
      if (name.length > 150) throw invalidFields({ name: ['Ensure this field has no more than 150 characters.'] });
      try {
        return { ...(await store.createGroup(name.trim())), permissions: [] };
      } catch (error) {
        if (error instanceof DuplicateGroupError)
          throw invalidFields({ name: ['group with this name already exists.'] });
        throw error;
      }
    },
    async deleteGroup(groupId: number): Promise<void> {
      if (!(await store.deleteGroup(groupId))) throw new AuthError('not_found');
      await changed();
    },
    async grantToGroup(groupId: number, permission: unknown): Promise<GroupView> {
      const name = permissionName(permission);
      await group(groupId);
      if (await store.grantToGroup(groupId, name)) await changed();
      return group(groupId);
    },
    async revokeFromGroup(groupId: number, permission: unknown): Promise<GroupView> {
      const name = permissionName(permission);
      await group(groupId);
      if (await store.revokeFromGroup(groupId, name)) await changed();
      return group(groupId);
    },
    async setStaff(userId: number, isStaff: boolean): Promise<StaffView> {
      const updated = await storage.users.update(userId, { isStaff });
      if (!updated) throw new AuthError('not_found');
      await revocation.userChanged(updated);
      return { pk: updated.id, email: updated.email, is_staff: updated.isStaff };
    },
    async describeUser(userId: number): Promise<UserPermissionsView> {
      const found = await user(userId);
      return {
        user: found.id,
        email: found.email,
        is_staff: found.isStaff,
        is_superuser: found.isSuperuser,
        groups: await store.groupsOf(userId),
        user_permissions: await store.userPermissions(userId),
        all_permissions: await store.permissionsOf(userId),
      };
    },
    async grantToUser(userId: number, permission: unknown): Promise<void> {
      const name = permissionName(permission);
      await user(userId);
      if (await store.grantToUser(userId, name)) await changed();
    },
    async revokeFromUser(userId: number, permission: unknown): Promise<void> {
      const name = permissionName(permission);
      await user(userId);
      if (await store.revokeFromUser(userId, name)) await changed();
    },
    async addToGroup(userId: number, groupId: number): Promise<void> {
      await user(userId);
      await group(groupId);
      if (await store.addToGroup(userId, groupId)) await changed();
    },
    async removeFromGroup(userId: number, groupId: number): Promise<void> {
      await user(userId);
      await group(groupId);
      if (await store.removeFromGroup(userId, groupId)) await changed();
    },
  };
}
