import { DuplicateEmailError, type AuthEvent, type OutstandingToken, type Storage, type StoredAuthEvent } from '../ports.js';
import type { User } from '../../users/types.js';
import { memoryPermissionStore } from './permissions.js';

/** In-memory storage for tests and experiments; passes the same conformance suite as SQLite. */
export function memoryStorage(): Storage {
  const users = new Map<number, User>();
  const tokens = new Map<string, OutstandingToken>();
  const events: StoredAuthEvent[] = [];
  let nextUserId = 1;
  let nextEventId = 1;
  const byEmail = (email: string) => [...users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase()) ?? null;
  const permissions = memoryPermissionStore((id) => users.has(id));
  const djangoLinks = new Map<number, number>();
  const copy = <T extends object>(value: T | null | undefined): T | null => (value ? structuredClone(value) : null);

  return {
    users: {
      async create(input) {
        if (byEmail(input.email)) throw new DuplicateEmailError();
        if (input.id !== undefined && users.has(input.id)) throw new Error(`user id ${input.id} is taken`);
        const id = input.id ?? nextUserId;
        nextUserId = Math.max(nextUserId, id + 1);
        const user: User = {
          id,
          email: input.email,
          password: input.password,
          firstName: input.firstName ?? '',
          lastName: input.lastName ?? '',
          gender: input.gender ?? null,
          dateOfBirth: input.dateOfBirth ?? null,
          isActive: input.isActive ?? true,
          isStaff: input.isStaff ?? false,
          isSuperuser: input.isSuperuser ?? false,
          dateJoined: input.dateJoined ? new Date(input.dateJoined) : new Date(),
          lastLogin: input.lastLogin ? new Date(input.lastLogin) : null,
        };
        users.set(user.id, user);
        return copy(user)!;
      },
      findById: async (id) => copy(users.get(id)),
      findByEmail: async (email) => copy(byEmail(email)),
      async update(id, patch) {
        const user = users.get(id);
        if (!user) return null;
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        Object.assign(user, defined);
        return copy(user);
      },
      async delete(id) {
        for (const [jti, t] of tokens) if (t.userId === id) tokens.delete(jti);
        permissions.forgetUser(id);
        for (const [djangoId, userId] of djangoLinks) if (userId === id) djangoLinks.delete(djangoId);
        return users.delete(id);
      },
      count: async () => users.size,
    },
    tokens: {
      async record(token) {
        if (tokens.has(token.jti)) throw new Error(`duplicate jti ${token.jti}`);
        tokens.set(token.jti, structuredClone(token));
      },
      find: async (jti) => copy(tokens.get(jti)),
      async consume(jti, at) {
        const t = tokens.get(jti);
        if (!t || t.revokedAt) return false;
        t.revokedAt = at;
        return true;
      },
      async rotate(jti, successor, at) {
        const t = tokens.get(jti);
        if (!t || t.revokedAt || tokens.has(successor.jti)) return false;
        t.revokedAt = at;
        tokens.set(successor.jti, structuredClone(successor));
        return true;
      },
      async revoke(jti, at) {
        const t = tokens.get(jti);
        if (!t) return false;
        t.revokedAt ??= at;
        return true;
      },
      async revokeSession(sessionId, at) {
        let n = 0;
        for (const t of tokens.values()) if (t.sessionId === sessionId && !t.revokedAt) (t.revokedAt = at), n++;
        return n;
      },
      async liveSessions(userId, now) {
        const live = [...tokens.values()].filter((t) => t.userId === userId && !t.revokedAt && t.expiresAt > now);
        return [...new Set(live.map((t) => t.sessionId))];
      },
      async revokeAllForUser(userId, at) {
        let n = 0;
        for (const t of tokens.values()) if (t.userId === userId && !t.revokedAt) (t.revokedAt = at), n++;
        return n;
      },
      async deleteExpired(now) {
        let n = 0;
        for (const [jti, t] of tokens) if (t.expiresAt <= now) tokens.delete(jti), n++;
        return n;
      },
    },
    events: {
      async append(event: AuthEvent) {
        const id = nextEventId++;
        events.push({ id, event: structuredClone(event) });
        return id;
      },
      since: async (cursor, limit) => events.filter((e) => e.id > cursor).slice(0, limit).map((e) => structuredClone(e)),
      activeSessionRevocations: async (now) =>
        events
          .filter((e) => e.event.kind === 'session_revoked' && e.event.expiresAt > now)
          .map((e) => ({ sessionId: e.event.subject, expiresAt: e.event.expiresAt })),
      latest: async () => events.at(-1)?.id ?? 0,
      async deleteExpired(now) {
        const before = events.length;
        for (let i = events.length - 1; i >= 0; i--) if (events[i]!.event.expiresAt <= now) events.splice(i, 1);
        return before - events.length;
      },
    },
    permissions: permissions.store,
    djangoLinks: {
      async link(djangoId, userId) {
        djangoLinks.set(djangoId, userId);
      },
      userFor: async (djangoId) => djangoLinks.get(djangoId) ?? null,
    },
    migrate: async () => [],
    unready: async () => null,
    close: async () => {},
  };
}
