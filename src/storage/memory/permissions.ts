import { DuplicateGroupError, type Group, type PermissionStore } from '../ports.js';

/** In-memory groups and permissions; `userExists` ties it to the memory user store. */
export function memoryPermissionStore(userExists: (id: number) => boolean) {
  const groups = new Map<number, { name: string; perms: Set<string> }>();
  const userPerms = new Map<number, Set<string>>();
  const memberships = new Map<number, Set<number>>();
  let nextGroupId = 1;
  const add = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
    const set = map.get(key) ?? new Set<V>();
    map.set(key, set);
    if (set.has(value)) return false;
    set.add(value);
    return true;
  };
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

  const store: PermissionStore = {
    async createGroup(name) {
      if ([...groups.values()].some((g) => g.name === name)) throw new DuplicateGroupError();
      const id = nextGroupId++;
      groups.set(id, { name, perms: new Set() });
      return { id, name };
    },
    async findGroup(name) {
      for (const [id, g] of groups) if (g.name === name) return { id, name };
      return null;
    },
    async listGroups() {
      return [...groups]
        .map(([id, g]) => ({ id, name: g.name, permissions: sorted(g.perms) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async deleteGroup(groupId) {
      for (const set of memberships.values()) set.delete(groupId);
      return groups.delete(groupId);
    },
    grantToGroup: async (groupId, permission) =>
      groups.get(groupId)?.perms.has(permission) === false && (groups.get(groupId)!.perms.add(permission), true),
    revokeFromGroup: async (groupId, permission) => groups.get(groupId)?.perms.delete(permission) ?? false,
    grantToUser: async (userId, permission) => userExists(userId) && add(userPerms, userId, permission),
    revokeFromUser: async (userId, permission) => userPerms.get(userId)?.delete(permission) ?? false,
    addToGroup: async (userId, groupId) =>
      userExists(userId) && groups.has(groupId) && add(memberships, userId, groupId),
    removeFromGroup: async (userId, groupId) => memberships.get(userId)?.delete(groupId) ?? false,
    async groupsOf(userId) {
      const ids = [...(memberships.get(userId) ?? [])];
      return ids
        .map((id): Group => ({ id, name: groups.get(id)!.name }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async permissionsOf(userId) {
      const fromGroups = [...(memberships.get(userId) ?? [])].flatMap((id) => [...(groups.get(id)?.perms ?? [])]);
      return sorted([...(userPerms.get(userId) ?? []), ...fromGroups]);
    },
    userPermissions: async (userId) => sorted(userPerms.get(userId) ?? []),
  };
  return {
    store,
    /** Drops a deleted user's grants and memberships (the SQL tables cascade). */
    forgetUser(userId: number) {
      userPerms.delete(userId);
      memberships.delete(userId);
    },
  };
}
