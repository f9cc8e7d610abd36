import type { Storage } from '../../storage/ports.js';
import type { NewUser, User, UserPatch } from '../../users/types.js';

/**
 * What the import does to doorman's database, through the storage ports (so it works on every
 * backend). The dry-run target reads the real database and writes nothing: creations get
 * negative placeholder ids and links are remembered, so the counts are the real run's.
 */
export interface ImportTarget {
  /** The doorman user an earlier import made of this Django user. */
  linkedUser(djangoId: number): Promise<User | null>;
  link(djangoId: number, userId: number): Promise<void>;
  findUser(email: string): Promise<User | null>;
  idTaken(id: number): Promise<boolean>;
  createUser(user: NewUser): Promise<number>;
  updateUser(id: number, patch: UserPatch): Promise<void>;
  findGroup(name: string): Promise<number | null>;
  createGroup(name: string): Promise<number>;
  /** Each answers true when the link is new. */
  grantToGroup(groupId: number, permission: string): Promise<boolean>;
  grantToUser(userId: number, permission: string): Promise<boolean>;
  addToGroup(userId: number, groupId: number): Promise<boolean>;
}

async function linkedUser(storage: Storage, djangoId: number): Promise<User | null> {
  const id = await storage.djangoLinks.userFor(djangoId);
  return id === null ? null : storage.users.findById(id);
}

export function storageTarget(storage: Storage): ImportTarget {
  const { users, permissions } = storage;
  return {
    linkedUser: (djangoId) => linkedUser(storage, djangoId),
    link: (djangoId, userId) => storage.djangoLinks.link(djangoId, userId),
    findUser: (email) => users.findByEmail(email),
    idTaken: async (id) => (await users.findById(id)) !== null,
    createUser: async (user) => (await users.create(user)).id,
    updateUser: async (id, patch) => void (await users.update(id, patch)),
    findGroup: async (name) => (await permissions.findGroup(name))?.id ?? null,
    createGroup: async (name) => (await permissions.createGroup(name)).id,
    grantToGroup: (groupId, permission) => permissions.grantToGroup(groupId, permission),
    grantToUser: (userId, permission) => permissions.grantToUser(userId, permission),
    addToGroup: (userId, groupId) => permissions.addToGroup(userId, groupId),
  };
}

export function dryRunTarget(storage: Storage): ImportTarget {
  const { users, permissions } = storage;
  let placeholder = 0;
  const createdGroups = new Map<string, number>();
  const takenIds = new Set<number>();
  const links = new Set<string>();
  /** New unless it exists already or this run has "made" it. */
  const fresh = (key: string, exists: () => Promise<boolean>) => async () => {
    if (links.has(key)) return false;
    links.add(key);
    return !(await exists());
  };
  return {
    linkedUser: (djangoId) => linkedUser(storage, djangoId),
    link: async () => {},
    findUser: (email) => users.findByEmail(email),
    idTaken: async (id) => takenIds.has(id) || (await users.findById(id)) !== null,
    async createUser(user) {
      if (user.id !== undefined) takenIds.add(user.id);
      return --placeholder;
    },
    updateUser: async () => {},
    findGroup: async (name) => createdGroups.get(name) ?? (await permissions.findGroup(name))?.id ?? null,
    async createGroup(name) {
      createdGroups.set(name, --placeholder);
      return placeholder;
    },
    grantToGroup: (groupId, permission) =>
      fresh(
        `g${groupId}:${permission}`,
        async () =>
          groupId > 0 &&
          (await permissions.listGroups()).some((g) => g.id === groupId && g.permissions.includes(permission)),
      )(),
    grantToUser: (userId, permission) =>
      fresh(
        `u${userId}:${permission}`,
        async () => userId > 0 && (await permissions.userPermissions(userId)).includes(permission),
      )(),
    addToGroup: (userId, groupId) =>
      fresh(
        `m${userId}:${groupId}`,
        async () => userId > 0 && groupId > 0 && (await permissions.groupsOf(userId)).some((g) => g.id === groupId),
      )(),
  };
}
