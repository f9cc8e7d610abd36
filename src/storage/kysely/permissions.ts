import type { Kysely } from 'kysely';
import { DuplicateGroupError, type Group, type PermissionStore } from '../ports.js';
import type { Database } from './db.js';
import { isUniqueViolation } from './errors.js';

const split = (name: string) => {
  const dot = name.indexOf('.');
  return { app_label: name.slice(0, dot), codename: name.slice(dot + 1) };
};
const toGroup = (row: { id: number; name: string }): Group => ({ id: Number(row.id), name: row.name });

export function kyselyPermissionStore(db: Kysely<Database>): PermissionStore {
  const exists = async (table: 'users' | 'groups', id: number) =>
    (await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

  /** The permission row's id, created on first use (Django creates them per model). */
  async function permissionId(name: string): Promise<number> {
    const key = split(name);
    const find = () =>
      db
        .selectFrom('permissions')
        .select('id')
        .where('app_label', '=', key.app_label)
        .where('codename', '=', key.codename)
        .executeTakeFirst();
    const found = await find();
    if (found) return Number(found.id);
    await db
      .insertInto('permissions')
      .values(key)
      .onConflict((oc) => oc.doNothing())
      .execute();
    return Number((await find())!.id);
  }

  async function findPermissionId(name: string): Promise<number | null> {
    const key = split(name);
    const row = await db
      .selectFrom('permissions')
      .select('id')
      .where('app_label', '=', key.app_label)
      .where('codename', '=', key.codename)
      .executeTakeFirst();
    return row ? Number(row.id) : null;
  }

  const names = (rows: Array<{ app_label: string; codename: string }>) =>
    [...new Set(rows.map((r) => `${r.app_label}.${r.codename}`))].sort();

  async function link(
    table: 'group_permissions' | 'user_permissions' | 'user_groups',
    values: Record<string, number>,
  ): Promise<boolean> {
    const result = await db
      .insertInto(table)
      .values(values as never)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  return {
    async createGroup(name) {
      try {
        return toGroup(await db.insertInto('groups').values({ name }).returningAll().executeTakeFirstOrThrow());
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateGroupError();
        throw error;
      }
    },
    async findGroup(name) {
      const row = await db.selectFrom('groups').selectAll().where('name', '=', name).executeTakeFirst();
      return row ? toGroup(row) : null;
    },
    async listGroups() {
      const groups = await db.selectFrom('groups').selectAll().orderBy('name').execute();
      const grants = await db
        .selectFrom('group_permissions')
        .innerJoin('permissions', 'permissions.id', 'group_permissions.permission_id')
        .select(['group_permissions.group_id', 'permissions.app_label', 'permissions.codename'])
        .execute();
      return groups.map((g) => ({
        ...toGroup(g),
        permissions: names(grants.filter((r) => Number(r.group_id) === Number(g.id))),
      }));
    },
    async deleteGroup(groupId) {
      const result = await db.deleteFrom('groups').where('id', '=', groupId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async grantToGroup(groupId, permission) {
      if (!(await exists('groups', groupId))) return false;
      return link('group_permissions', { group_id: groupId, permission_id: await permissionId(permission) });
    },
    async revokeFromGroup(groupId, permission) {
      const id = await findPermissionId(permission);
      if (id === null) return false;
      const result = await db
        .deleteFrom('group_permissions')
        .where('group_id', '=', groupId)
        .where('permission_id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async grantToUser(userId, permission) {
      if (!(await exists('users', userId))) return false;
      return link('user_permissions', { user_id: userId, permission_id: await permissionId(permission) });
    },
    async revokeFromUser(userId, permission) {
      const id = await findPermissionId(permission);
      if (id === null) return false;
      const result = await db
        .deleteFrom('user_permissions')
        .where('user_id', '=', userId)
        .where('permission_id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async addToGroup(userId, groupId) {
      if (!(await exists('users', userId)) || !(await exists('groups', groupId))) return false;
      return link('user_groups', { user_id: userId, group_id: groupId });
    },
    async removeFromGroup(userId, groupId) {
      const result = await db
        .deleteFrom('user_groups')
        .where('user_id', '=', userId)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async groupsOf(userId) {
      const rows = await db
        .selectFrom('user_groups')
        .innerJoin('groups', 'groups.id', 'user_groups.group_id')
        .select(['groups.id', 'groups.name'])
        .where('user_groups.user_id', '=', userId)
        .orderBy('groups.name')
        .execute();
      return rows.map(toGroup);
    },
    async permissionsOf(userId) {
      const own = db
        .selectFrom('user_permissions')
        .innerJoin('permissions', 'permissions.id', 'user_permissions.permission_id')
        .select(['permissions.app_label', 'permissions.codename'])
        .where('user_permissions.user_id', '=', userId);
      const viaGroups = db
        .selectFrom('user_groups')
        .innerJoin('group_permissions', 'group_permissions.group_id', 'user_groups.group_id')
        .innerJoin('permissions', 'permissions.id', 'group_permissions.permission_id')
        .select(['permissions.app_label', 'permissions.codename'])
        .where('user_groups.user_id', '=', userId);
      return names(await own.union(viaGroups).execute());
    },
    async userPermissions(userId) {
      const rows = await db
        .selectFrom('user_permissions')
        .innerJoin('permissions', 'permissions.id', 'user_permissions.permission_id')
        .select(['permissions.app_label', 'permissions.codename'])
        .where('user_permissions.user_id', '=', userId)
        .execute();
      return names(rows);
    },
  };
}
