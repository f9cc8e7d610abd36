import {
  DuplicateEmailError,
  DuplicateSocialAccountError,
  type AuthEvent,
  type Session,
  type SocialAccount,
  type Storage,
  type StoredAuthEvent,
} from '../ports.js';
import type { User } from '../../users/types.js';
import { memoryAuditStore, memoryOneTimeTokenStore } from './extras.js';
import { memoryPermissionStore } from './permissions.js';

/** In-memory storage for tests and experiments; passes the same conformance suite as SQLite. */
export function memoryStorage(): Storage {
  const users = new Map<number, User>();
  const sessions = new Map<string, Session>();
  const events: StoredAuthEvent[] = [];
  const socialAccounts = new Map<number, SocialAccount>();
  let nextSocialId = 1;
  let nextUserId = 1;
  let nextEventId = 1;
  const byEmail = (email: string) =>
    [...users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase()) ?? null;
  const permissions = memoryPermissionStore((id) => users.has(id));
  const djangoLinks = new Map<number, number>();
  const oneTimeTokens = memoryOneTimeTokenStore();
  const copy = <T extends object>(value: T | null | undefined): T | null => (value ? structuredClone(value) : null);
  const append = (event: AuthEvent) => {
    const id = nextEventId++;
    events.push({ id, event: structuredClone(event) });
    return id;
  };

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
          credentialsEpoch: 0,
          emailVerified: input.emailVerified ?? false,
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
        for (const [sid, session] of sessions) if (session.userId === id) sessions.delete(sid);
        for (const [key, a] of socialAccounts) if (a.userId === id) socialAccounts.delete(key);
        permissions.forgetUser(id);
        for (const [djangoId, userId] of djangoLinks) if (userId === id) djangoLinks.delete(djangoId);
        oneTimeTokens.forgetUser(id);
        return users.delete(id);
      },
      count: async () => users.size,
      async changeCredentials(id, password) {
        const user = users.get(id);
        if (!user) return null;
        user.password = password;
        user.credentialsEpoch++;
        return copy(user);
      },
      async list({ search, offset, limit }) {
        const key = search?.toLowerCase() ?? '';
        const matches = [...users.values()]
          .filter((u) => u.email.toLowerCase().includes(key))
          .sort((a, b) => a.id - b.id);
        return { total: matches.length, users: matches.slice(offset, offset + limit).map((u) => copy(u)!) };
      },
    },
    socialAccounts: {
      async create(input) {
        if ([...socialAccounts.values()].some((a) => a.provider === input.provider && a.subject === input.subject))
          throw new DuplicateSocialAccountError();
        const account: SocialAccount = { ...structuredClone(input), id: nextSocialId++ };
        socialAccounts.set(account.id, account);
        return copy(account)!;
      },
      find: async (provider, subject) =>
        copy([...socialAccounts.values()].find((a) => a.provider === provider && a.subject === subject)),
      listForUser: async (userId) =>
        [...socialAccounts.values()].filter((a) => a.userId === userId).map((a) => structuredClone(a)),
      async remove(userId, id, keepOne) {
        const account = socialAccounts.get(id);
        if (!account || account.userId !== userId) return false;
        if (keepOne && [...socialAccounts.values()].filter((a) => a.userId === userId).length < 2) return false;
        return socialAccounts.delete(id);
      },
    },
    sessions: {
      async create(session) {
        if (sessions.has(session.id)) throw new Error(`duplicate session ${session.id}`);
        sessions.set(session.id, {
          ...structuredClone(session),
          previousJti: null,
          rotatedAt: null,
          lastUsedAt: session.createdAt,
          revokedAt: null,
        });
      },
      find: async (id) => copy(sessions.get(id)),
      async rotate(id, fromJti, next, at) {
        const s = sessions.get(id);
        if (!s || s.revokedAt || s.currentJti !== fromJti) return false;
        Object.assign(s, {
          currentJti: next.jti,
          previousJti: fromJti,
          rotatedAt: at,
          lastUsedAt: at,
          expiresAt: next.expiresAt,
        });
        return true;
      },
      async touch(id, at) {
        const s = sessions.get(id);
        if (s && !s.revokedAt) s.lastUsedAt = at;
      },
      // Synchronous from the first check to the last append: nothing else runs in between.
      async revoke(id, at, announced) {
        const s = sessions.get(id);
        const live = !!s && !s.revokedAt;
        if (live) s.revokedAt = at;
        announced.forEach(append);
        return live;
      },
      live: async (userId, now) =>
        [...sessions.values()]
          .filter((s) => s.userId === userId && !s.revokedAt && s.expiresAt > now)
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
          .map((s) => structuredClone(s)),
      async revokeAllForUser(userId, at, eventsExpireAt) {
        const ids: string[] = [];
        for (const s of sessions.values())
          if (s.userId === userId && !s.revokedAt) ((s.revokedAt = at), ids.push(s.id));
        for (const subject of ids) append({ kind: 'session_revoked', subject, expiresAt: eventsExpireAt });
        return ids;
      },
      async deleteExpired(now) {
        let n = 0;
        for (const [id, s] of sessions) if (s.expiresAt <= now) (sessions.delete(id), n++);
        return n;
      },
    },
    events: {
      append: async (event: AuthEvent) => append(event),
      since: async (cursor, limit) =>
        events
          .filter((e) => e.id > cursor)
          .slice(0, limit)
          .map((e) => structuredClone(e)),
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
    oneTimeTokens,
    audit: memoryAuditStore(),
    migrate: async () => [],
    unready: async () => null,
    close: async () => {},
  };
}
