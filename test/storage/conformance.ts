import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateEmailError, DuplicateGroupError, type OutstandingToken, type Storage } from '../../src/storage/ports.js';

/**
 * ONE suite every storage backend must pass (Lucia's adapter-test idea). Each backend's test
 * file calls this with a factory that returns a fresh, migrated, empty storage.
 */
export function storageConformance(name: string, open: () => Promise<{ storage: Storage; dispose: () => Promise<void> }>) {
  describe(`storage conformance: ${name}`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ storage, dispose } = await open());
    });
    afterEach(() => dispose());

    const token = (overrides: Partial<OutstandingToken> = {}): OutstandingToken => ({
      jti: crypto.randomUUID().replaceAll('-', ''),
      userId: 1,
      sessionId: 'family-a',
      tokenType: 'refresh',
      createdAt: new Date(1_000_000),
      expiresAt: new Date(Date.now() + 3_600_000),
      revokedAt: null,
      ...overrides,
    });

    describe('users', () => {
      it('creates a user with defaults and reads it back by id and by e-mail', async () => {
        const created = await storage.users.create({ email: 'Kim@example.com', password: '$argon2id$x' });
        expect(created).toMatchObject({ email: 'Kim@example.com', password: '$argon2id$x', firstName: '', lastName: '', gender: null, dateOfBirth: null, isActive: true, isStaff: false, isSuperuser: false, lastLogin: null });
        expect(created.dateJoined).toBeInstanceOf(Date);
        expect(await storage.users.findById(created.id)).toEqual(created);
        expect(await storage.users.findByEmail('Kim@example.com')).toEqual(created);
      });

      it('finds by e-mail case-insensitively on the whole address', async () => {
        const created = await storage.users.create({ email: 'Kim@example.com', password: null });
        expect((await storage.users.findByEmail('kim@EXAMPLE.com'))?.id).toBe(created.id);
        expect(await storage.users.findByEmail('kim@example.org')).toBeNull();
      });

      it('refuses a second user with the same e-mail in another case', async () => {
        await storage.users.create({ email: 'kim@example.com', password: null });
        await expect(storage.users.create({ email: 'KIM@example.com', password: null })).rejects.toBeInstanceOf(DuplicateEmailError);
      });

      it('folds non-ASCII letters for uniqueness too', async () => {
        await storage.users.create({ email: 'ÉLODIE@example.com', password: null });
        await expect(storage.users.create({ email: 'élodie@example.com', password: null })).rejects.toBeInstanceOf(DuplicateEmailError);
      });

      it('updates only the fields given and returns the new state', async () => {
        const created = await storage.users.create({ email: 'a@example.com', password: 'h1', firstName: 'A' });
        const when = new Date(1_700_000_000_000);
        const updated = await storage.users.update(created.id, { lastName: 'B', gender: 'female', dateOfBirth: '2000-01-02', isActive: false, lastLogin: when });
        expect(updated).toMatchObject({ firstName: 'A', lastName: 'B', gender: 'female', dateOfBirth: '2000-01-02', isActive: false, password: 'h1', lastLogin: when });
        expect(await storage.users.findById(created.id)).toEqual(updated);
      });

      it('answers null when updating a user that does not exist', async () => {
        expect(await storage.users.update(999, { firstName: 'x' })).toBeNull();
      });

      it('deletes a user and its tokens', async () => {
        const created = await storage.users.create({ email: 'a@example.com', password: null });
        const t = token({ userId: created.id });
        await storage.tokens.record(t);
        expect(await storage.users.delete(created.id)).toBe(true);
        expect(await storage.users.findById(created.id)).toBeNull();
        expect(await storage.tokens.find(t.jti)).toBeNull();
        expect(await storage.users.delete(created.id)).toBe(false);
      });

      it('keeps an explicit id, date joined and last login (an import), and goes on numbering after it', async () => {
        const joined = new Date('2020-05-06T07:08:09.123Z');
        const login = new Date('2024-01-02T03:04:05.678Z');
        const kept = await storage.users.create({ id: 40, email: 'old@example.com', password: null, dateJoined: joined, lastLogin: login });
        expect(kept).toMatchObject({ id: 40, dateJoined: joined, lastLogin: login });
        const next = await storage.users.create({ email: 'new@example.com', password: null });
        expect(next.id).toBeGreaterThan(40);
        const moved = await storage.users.update(40, { dateJoined: new Date('2019-01-01T00:00:00Z') });
        expect(moved!.dateJoined).toEqual(new Date('2019-01-01T00:00:00Z'));
      });

      it('links imported Django users by their Django id; the link moves, and goes with the user', async () => {
        const a = await storage.users.create({ email: 'a@example.com', password: null });
        const b = await storage.users.create({ email: 'b@example.com', password: null });
        expect(await storage.djangoLinks.userFor(7)).toBeNull();
        await storage.djangoLinks.link(7, a.id);
        await storage.djangoLinks.link(7, a.id);
        expect(await storage.djangoLinks.userFor(7)).toBe(a.id);
        await storage.djangoLinks.link(7, b.id);
        expect(await storage.djangoLinks.userFor(7)).toBe(b.id);
        await storage.users.delete(b.id);
        expect(await storage.djangoLinks.userFor(7)).toBeNull();
      });

      it('counts users', async () => {
        expect(await storage.users.count()).toBe(0);
        await storage.users.create({ email: 'a@example.com', password: null });
        await storage.users.create({ email: 'b@example.com', password: null });
        expect(await storage.users.count()).toBe(2);
      });
    });

    describe('tokens', () => {
      let userId: number;
      beforeEach(async () => {
        userId = (await storage.users.create({ email: 'owner@example.com', password: null })).id;
      });

      it('records a token by jti and finds it', async () => {
        const t = token({ userId });
        await storage.tokens.record(t);
        expect(await storage.tokens.find(t.jti)).toEqual(t);
        expect(await storage.tokens.find('unknown')).toBeNull();
      });

      it('consumes a token exactly once', async () => {
        const t = token({ userId });
        await storage.tokens.record(t);
        expect(await storage.tokens.consume(t.jti, new Date(5000))).toBe(true);
        expect(await storage.tokens.consume(t.jti, new Date(6000))).toBe(false);
        expect((await storage.tokens.find(t.jti))?.revokedAt).toEqual(new Date(5000));
      });

      it('gives exactly one winner among concurrent consumes', async () => {
        const t = token({ userId });
        await storage.tokens.record(t);
        const results = await Promise.all(Array.from({ length: 20 }, () => storage.tokens.consume(t.jti, new Date())));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('rotates: spends the token and records its successor, once', async () => {
        const old = token({ userId });
        const next = token({ userId });
        await storage.tokens.record(old);
        expect(await storage.tokens.rotate(old.jti, next, new Date(9000))).toBe(true);
        expect((await storage.tokens.find(old.jti))?.revokedAt).toEqual(new Date(9000));
        expect(await storage.tokens.find(next.jti)).toEqual(next);
        const other = token({ userId });
        expect(await storage.tokens.rotate(old.jti, other, new Date())).toBe(false);
        expect(await storage.tokens.find(other.jti)).toBeNull();
      });

      it('gives exactly one winner among concurrent rotations, and records one successor', async () => {
        const old = token({ userId });
        await storage.tokens.record(old);
        const successors = Array.from({ length: 20 }, () => token({ userId }));
        const results = await Promise.all(successors.map((s) => storage.tokens.rotate(old.jti, s, new Date())));
        expect(results.filter(Boolean)).toHaveLength(1);
        const recorded = await Promise.all(successors.map((s) => storage.tokens.find(s.jti)));
        expect(recorded.filter(Boolean)).toHaveLength(1);
      });

      it('does not rotate an unknown token', async () => {
        const next = token({ userId });
        expect(await storage.tokens.rotate('unknown', next, new Date())).toBe(false);
        expect(await storage.tokens.find(next.jti)).toBeNull();
      });

      it('does not consume an unknown or revoked token', async () => {
        expect(await storage.tokens.consume('nope', new Date())).toBe(false);
        const t = token({ userId, revokedAt: new Date(1) });
        await storage.tokens.record(t);
        expect(await storage.tokens.consume(t.jti, new Date())).toBe(false);
      });

      it('revokes idempotently and keeps the first revocation time', async () => {
        const t = token({ userId });
        await storage.tokens.record(t);
        expect(await storage.tokens.revoke(t.jti, new Date(100))).toBe(true);
        expect(await storage.tokens.revoke(t.jti, new Date(200))).toBe(true);
        expect((await storage.tokens.find(t.jti))?.revokedAt).toEqual(new Date(100));
        expect(await storage.tokens.revoke('unknown', new Date())).toBe(false);
      });

      it('revokes a whole family and nothing else', async () => {
        const a1 = token({ userId, sessionId: 'a' });
        const a2 = token({ userId, sessionId: 'a' });
        const b1 = token({ userId, sessionId: 'b' });
        for (const t of [a1, a2, b1]) await storage.tokens.record(t);
        expect(await storage.tokens.revokeSession('a', new Date(7))).toBe(2);
        expect((await storage.tokens.find(a2.jti))?.revokedAt).toEqual(new Date(7));
        expect((await storage.tokens.find(b1.jti))?.revokedAt).toBeNull();
      });

      it('lists the live families of a user', async () => {
        const other = (await storage.users.create({ email: 'other@example.com', password: null })).id;
        await storage.tokens.record(token({ userId, sessionId: 'live' }));
        await storage.tokens.record(token({ userId, sessionId: 'live' }));
        await storage.tokens.record(token({ userId, sessionId: 'revoked', revokedAt: new Date(1) }));
        await storage.tokens.record(token({ userId, sessionId: 'expired', expiresAt: new Date(Date.now() - 1000) }));
        await storage.tokens.record(token({ userId: other, sessionId: 'theirs' }));
        expect(await storage.tokens.liveSessions(userId, new Date())).toEqual(['live']);
      });

      it('revokes every token of a user', async () => {
        const other = (await storage.users.create({ email: 'other@example.com', password: null })).id;
        await storage.tokens.record(token({ userId }));
        await storage.tokens.record(token({ userId, sessionId: 'b' }));
        const theirs = token({ userId: other });
        await storage.tokens.record(theirs);
        expect(await storage.tokens.revokeAllForUser(userId, new Date())).toBe(2);
        expect((await storage.tokens.find(theirs.jti))?.revokedAt).toBeNull();
      });

      it('deletes only expired rows, revoked or not', async () => {
        const now = new Date();
        const live = token({ userId });
        const expired = token({ userId, expiresAt: new Date(now.getTime() - 1) });
        const expiredRevoked = token({ userId, expiresAt: new Date(now.getTime() - 1), revokedAt: new Date(1) });
        for (const t of [live, expired, expiredRevoked]) await storage.tokens.record(t);
        expect(await storage.tokens.deleteExpired(now)).toBe(2);
        expect(await storage.tokens.find(live.jti)).not.toBeNull();
        expect(await storage.tokens.find(expired.jti)).toBeNull();
      });

      it('deletes expired rows beyond one batch (flushexpiredtokens deletes in batches of 1000)', async () => {
        const now = new Date();
        const expired = Array.from({ length: 2345 }, () => token({ userId, expiresAt: new Date(now.getTime() - 1) }));
        for (let i = 0; i < expired.length; i += 200) await Promise.all(expired.slice(i, i + 200).map((t) => storage.tokens.record(t)));
        const live = token({ userId });
        await storage.tokens.record(live);
        expect(await storage.tokens.deleteExpired(now)).toBe(2345);
        expect(await storage.tokens.find(expired[2344]!.jti)).toBeNull();
        expect(await storage.tokens.find(live.jti)).not.toBeNull();
        expect(await storage.tokens.deleteExpired(now)).toBe(0);
      }, 30_000);
    });

    describe('events', () => {
      it('appends events with increasing ids and reads them after a cursor', async () => {
        const far = new Date(Date.now() + 60_000);
        const a = await storage.events.append({ kind: 'session_revoked', subject: 's1', expiresAt: far });
        const b = await storage.events.append({ kind: 'user_changed', subject: '7', expiresAt: far });
        expect(b).toBeGreaterThan(a);
        expect(await storage.events.latest()).toBe(b);
        expect(await storage.events.since(a, 10)).toEqual([{ id: b, event: { kind: 'user_changed', subject: '7', expiresAt: far } }]);
        expect(await storage.events.since(0, 1)).toHaveLength(1);
      });

      it('lists session revocations still in force', async () => {
        const now = new Date();
        await storage.events.append({ kind: 'session_revoked', subject: 'old', expiresAt: new Date(now.getTime() - 1) });
        await storage.events.append({ kind: 'session_revoked', subject: 'live', expiresAt: new Date(now.getTime() + 1000) });
        await storage.events.append({ kind: 'user_changed', subject: '1', expiresAt: new Date(now.getTime() + 1000) });
        expect((await storage.events.activeSessionRevocations(now)).map((r) => r.sessionId)).toEqual(['live']);
      });

      it('deletes expired events', async () => {
        const now = new Date();
        await storage.events.append({ kind: 'session_revoked', subject: 'old', expiresAt: new Date(now.getTime() - 1) });
        await storage.events.append({ kind: 'session_revoked', subject: 'live', expiresAt: new Date(now.getTime() + 1000) });
        expect(await storage.events.deleteExpired(now)).toBe(1);
        expect(await storage.events.since(0, 10)).toHaveLength(1);
      });

      it('answers 0 as the latest id when empty', async () => {
        expect(await storage.events.latest()).toBe(0);
      });
    });
    describe('permissions', () => {
      const users = async () => [
        await storage.users.create({ email: 'a@example.com', password: null }),
        await storage.users.create({ email: 'b@example.com', password: null }),
      ];

      it('creates groups with unique names and finds them', async () => {
        const editors = await storage.permissions.createGroup('editors');
        expect(editors).toEqual({ id: expect.any(Number), name: 'editors' });
        await expect(storage.permissions.createGroup('editors')).rejects.toBeInstanceOf(DuplicateGroupError);
        expect(await storage.permissions.findGroup('editors')).toEqual(editors);
        expect(await storage.permissions.findGroup('nobody')).toBeNull();
      });

      it('unites a user’s own permissions with their groups’, distinct and sorted', async () => {
        const [a, b] = await users();
        const editors = await storage.permissions.createGroup('editors');
        expect(await storage.permissions.grantToGroup(editors.id, 'board.change_post')).toBe(true);
        expect(await storage.permissions.grantToGroup(editors.id, 'board.change_post')).toBe(false);
        await storage.permissions.grantToGroup(editors.id, 'board.add_post');
        expect(await storage.permissions.addToGroup(a!.id, editors.id)).toBe(true);
        expect(await storage.permissions.addToGroup(a!.id, editors.id)).toBe(false);
        expect(await storage.permissions.grantToUser(a!.id, 'board.delete_post')).toBe(true);
        expect(await storage.permissions.grantToUser(a!.id, 'board.add_post')).toBe(true);
        expect(await storage.permissions.permissionsOf(a!.id)).toEqual(['board.add_post', 'board.change_post', 'board.delete_post']);
        expect(await storage.permissions.userPermissions(a!.id)).toEqual(['board.add_post', 'board.delete_post']);
        expect(await storage.permissions.groupsOf(a!.id)).toEqual([editors]);
        expect(await storage.permissions.permissionsOf(b!.id)).toEqual([]);
        expect(await storage.permissions.listGroups()).toEqual([{ ...editors, permissions: ['board.add_post', 'board.change_post'] }]);
      });

      it('revokes grants and memberships, answering whether anything changed', async () => {
        const [a] = await users();
        const g = await storage.permissions.createGroup('g');
        await storage.permissions.grantToGroup(g.id, 'board.view_post');
        await storage.permissions.addToGroup(a!.id, g.id);
        await storage.permissions.grantToUser(a!.id, 'board.add_post');
        expect(await storage.permissions.revokeFromUser(a!.id, 'board.add_post')).toBe(true);
        expect(await storage.permissions.revokeFromUser(a!.id, 'board.add_post')).toBe(false);
        expect(await storage.permissions.permissionsOf(a!.id)).toEqual(['board.view_post']);
        expect(await storage.permissions.removeFromGroup(a!.id, g.id)).toBe(true);
        expect(await storage.permissions.removeFromGroup(a!.id, g.id)).toBe(false);
        expect(await storage.permissions.permissionsOf(a!.id)).toEqual([]);
        expect(await storage.permissions.revokeFromGroup(g.id, 'board.view_post')).toBe(true);
        expect(await storage.permissions.revokeFromGroup(g.id, 'never.granted')).toBe(false);
      });

      it('changes nothing for unknown users or groups', async () => {
        const [a] = await users();
        const g = await storage.permissions.createGroup('g');
        expect(await storage.permissions.grantToGroup(999, 'board.add_post')).toBe(false);
        expect(await storage.permissions.grantToUser(999, 'board.add_post')).toBe(false);
        expect(await storage.permissions.addToGroup(999, g.id)).toBe(false);
        expect(await storage.permissions.addToGroup(a!.id, 999)).toBe(false);
        expect(await storage.permissions.deleteGroup(999)).toBe(false);
      });

      it('forgets a deleted group’s and a deleted user’s grants', async () => {
        const [a] = await users();
        const g = await storage.permissions.createGroup('g');
        await storage.permissions.grantToGroup(g.id, 'board.add_post');
        await storage.permissions.addToGroup(a!.id, g.id);
        expect(await storage.permissions.deleteGroup(g.id)).toBe(true);
        expect(await storage.permissions.permissionsOf(a!.id)).toEqual([]);
        expect(await storage.permissions.groupsOf(a!.id)).toEqual([]);
        await storage.permissions.grantToUser(a!.id, 'board.add_post');
        await storage.users.delete(a!.id);
        expect(await storage.permissions.permissionsOf(a!.id)).toEqual([]);
      });
    });
  });
}
