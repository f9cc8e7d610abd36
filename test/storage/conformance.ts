import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DuplicateEmailError,
  DuplicateGroupError,
  DuplicateSocialAccountError,
  type NewSession,
  type Storage,
} from '../../src/storage/ports.js';

/**
 * ONE suite every storage backend must pass (Lucia's adapter-test idea). Each backend's test
 * file calls this with a factory that returns a fresh, migrated, empty storage.
 */
export function storageConformance(
  name: string,
  open: () => Promise<{ storage: Storage; dispose: () => Promise<void> }>,
) {
  describe(`storage conformance: ${name}`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ storage, dispose } = await open());
    });
    afterEach(() => dispose());

    const id = () => crypto.randomUUID().replaceAll('-', '');
    const session = (overrides: Partial<NewSession> = {}): NewSession => ({
      id: id(),
      userId: 1,
      tokenType: 'refresh',
      currentJti: id(),
      createdAt: new Date(1_000_000),
      expiresAt: new Date(Date.now() + 3_600_000),
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      ip: '203.0.113.7',
      credentialsEpoch: 0,
      ...overrides,
    });

    describe('users', () => {
      it('creates a user with defaults and reads it back by id and by e-mail', async () => {
        const created = await storage.users.create({ email: 'Kim@example.com', password: '$argon2id$x' });
        expect(created).toMatchObject({
          email: 'Kim@example.com',
          password: '$argon2id$x',
          firstName: '',
          lastName: '',
          gender: null,
          dateOfBirth: null,
          isActive: true,
          isStaff: false,
          isSuperuser: false,
          lastLogin: null,
          emailVerified: false,
        });
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
        await expect(storage.users.create({ email: 'KIM@example.com', password: null })).rejects.toBeInstanceOf(
          DuplicateEmailError,
        );
      });

      it('folds non-ASCII letters for uniqueness too', async () => {
        await storage.users.create({ email: 'ÉLODIE@example.com', password: null });
        await expect(storage.users.create({ email: 'élodie@example.com', password: null })).rejects.toBeInstanceOf(
          DuplicateEmailError,
        );
      });

      it('updates only the fields given and returns the new state', async () => {
        const created = await storage.users.create({ email: 'a@example.com', password: 'h1', firstName: 'A' });
        const when = new Date(1_700_000_000_000);
        const updated = await storage.users.update(created.id, {
          lastName: 'B',
          gender: 'female',
          dateOfBirth: '2000-01-02',
          isActive: false,
          lastLogin: when,
        });
        expect(updated).toMatchObject({
          firstName: 'A',
          lastName: 'B',
          gender: 'female',
          dateOfBirth: '2000-01-02',
          isActive: false,
          password: 'h1',
          lastLogin: when,
        });
        expect(await storage.users.findById(created.id)).toEqual(updated);
      });

      it('answers null when updating a user that does not exist', async () => {
        expect(await storage.users.update(999, { firstName: 'x' })).toBeNull();
      });

      it('deletes a user and its sessions', async () => {
        const created = await storage.users.create({ email: 'a@example.com', password: null });
        const s = session({ userId: created.id });
        await storage.sessions.create(s);
        expect(await storage.users.delete(created.id)).toBe(true);
        expect(await storage.users.findById(created.id)).toBeNull();
        expect(await storage.sessions.find(s.id)).toBeNull();
        expect(await storage.users.delete(created.id)).toBe(false);
      });

      it('keeps an explicit id, date joined and last login (an import), and goes on numbering after it', async () => {
        const joined = new Date('2020-05-06T07:08:09.123Z');
        const login = new Date('2024-01-02T03:04:05.678Z');
        const kept = await storage.users.create({
          id: 40,
          email: 'old@example.com',
          password: null,
          dateJoined: joined,
          lastLogin: login,
        });
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

      it('changes credentials: the new hash and a bumped epoch together', async () => {
        const created = await storage.users.create({ email: 'a@example.com', password: 'h1' });
        expect(created.credentialsEpoch).toBe(0);
        const changed = await storage.users.changeCredentials(created.id, 'h2');
        expect(changed).toMatchObject({ password: 'h2', credentialsEpoch: 1 });
        expect(await storage.users.changeCredentials(created.id, 'h3')).toMatchObject({
          password: 'h3',
          credentialsEpoch: 2,
        });
        expect((await storage.users.findById(created.id))?.credentialsEpoch).toBe(2);
        expect(await storage.users.changeCredentials(999, 'h')).toBeNull();
      });

      it('keeps the epoch through other updates', async () => {
        const created = await storage.users.create({ email: 'a@example.com', password: 'h1' });
        await storage.users.changeCredentials(created.id, 'h2');
        expect(await storage.users.update(created.id, { password: 'rehashed', firstName: 'A' })).toMatchObject({
          credentialsEpoch: 1,
        });
      });

      it('counts users', async () => {
        expect(await storage.users.count()).toBe(0);
        await storage.users.create({ email: 'a@example.com', password: null });
        await storage.users.create({ email: 'b@example.com', password: null });
        expect(await storage.users.count()).toBe(2);
      });

      it('lists users by id, a page at a time, searching the e-mail literally and case-insensitively', async () => {
        for (const email of ['Kim@Example.com', 'lee@example.com', 'park_1@other.org', 'choi%@example.com'])
          await storage.users.create({ email, password: null });
        const all = await storage.users.list({ offset: 0, limit: 10 });
        expect(all.total).toBe(4);
        expect(all.users.map((u) => u.email)).toEqual([
          'Kim@Example.com',
          'lee@example.com',
          'park_1@other.org',
          'choi%@example.com',
        ]);
        const page = await storage.users.list({ offset: 1, limit: 2 });
        expect(page).toMatchObject({ total: 4 });
        expect(page.users.map((u) => u.email)).toEqual(['lee@example.com', 'park_1@other.org']);
        expect((await storage.users.list({ search: 'KIM@', offset: 0, limit: 10 })).users.map((u) => u.email)).toEqual([
          'Kim@Example.com',
        ]);
        expect((await storage.users.list({ search: 'example.COM', offset: 0, limit: 1 })).total).toBe(3);
        // % and _ are not wildcards: "k_m" must not match "kim", "%" only matches a "%".
        expect((await storage.users.list({ search: 'k_m', offset: 0, limit: 10 })).total).toBe(0);
        expect((await storage.users.list({ search: '%', offset: 0, limit: 10 })).users.map((u) => u.email)).toEqual([
          'choi%@example.com',
        ]);
        expect((await storage.users.list({ search: 'k_1', offset: 0, limit: 10 })).users.map((u) => u.email)).toEqual([
          'park_1@other.org',
        ]);
      });
    });

    describe('sessions', () => {
      let userId: number;
      beforeEach(async () => {
        userId = (await storage.users.create({ email: 'owner@example.com', password: null })).id;
      });

      it('creates a session and finds it by id, live and never rotated', async () => {
        const s = session({ userId, credentialsEpoch: 3 });
        await storage.sessions.create(s);
        expect(await storage.sessions.find(s.id)).toEqual({
          ...s,
          previousJti: null,
          rotatedAt: null,
          lastUsedAt: s.createdAt,
          revokedAt: null,
        });
        expect(await storage.sessions.find('unknown')).toBeNull();
      });

      it('keeps a missing user agent and ip as null', async () => {
        const s = session({ userId, userAgent: null, ip: null });
        await storage.sessions.create(s);
        expect(await storage.sessions.find(s.id)).toMatchObject({ userAgent: null, ip: null });
      });

      it('rotates in place: the current jti moves, the old one is kept as previous, expiry and last use move', async () => {
        const s = session({ userId });
        await storage.sessions.create(s);
        const next = { jti: id(), expiresAt: new Date(Date.now() + 7_200_000) };
        expect(await storage.sessions.rotate(s.id, s.currentJti, next, new Date(9000))).toBe(true);
        expect(await storage.sessions.find(s.id)).toMatchObject({
          currentJti: next.jti,
          previousJti: s.currentJti,
          rotatedAt: new Date(9000),
          lastUsedAt: new Date(9000),
          expiresAt: next.expiresAt,
          createdAt: s.createdAt,
          revokedAt: null,
        });
      });

      it('refuses a rotation from a jti that is not the current one (a spent token)', async () => {
        const s = session({ userId });
        await storage.sessions.create(s);
        const first = { jti: id(), expiresAt: s.expiresAt };
        expect(await storage.sessions.rotate(s.id, s.currentJti, first, new Date(1))).toBe(true);
        expect(
          await storage.sessions.rotate(s.id, s.currentJti, { jti: id(), expiresAt: s.expiresAt }, new Date(2)),
        ).toBe(false);
        expect((await storage.sessions.find(s.id))?.currentJti).toBe(first.jti);
        expect(await storage.sessions.rotate('unknown', s.currentJti, first, new Date(2))).toBe(false);
      });

      it('gives exactly one winner among 20 concurrent rotations from one jti', async () => {
        const s = session({ userId });
        await storage.sessions.create(s);
        const successors = Array.from({ length: 20 }, () => ({ jti: id(), expiresAt: s.expiresAt }));
        const results = await Promise.all(
          successors.map((next) => storage.sessions.rotate(s.id, s.currentJti, next, new Date())),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = successors[results.indexOf(true)]!;
        expect((await storage.sessions.find(s.id))?.currentJti).toBe(winner.jti);
      });

      it('never rotates an ended session back to life', async () => {
        const s = session({ userId });
        await storage.sessions.create(s);
        expect(await storage.sessions.revoke(s.id, new Date(5), [])).toBe(true);
        expect(
          await storage.sessions.rotate(s.id, s.currentJti, { jti: id(), expiresAt: s.expiresAt }, new Date(6)),
        ).toBe(false);
        expect(await storage.sessions.find(s.id)).toMatchObject({ currentJti: s.currentJti, revokedAt: new Date(5) });
      });

      it('gives exactly one of concurrent rotations and revocations effect: never a live rotated session after a revoke', async () => {
        for (let i = 0; i < 10; i++) {
          const s = session({ userId });
          await storage.sessions.create(s);
          await Promise.all([
            storage.sessions.rotate(s.id, s.currentJti, { jti: id(), expiresAt: s.expiresAt }, new Date()),
            storage.sessions.revoke(s.id, new Date(), []),
          ]);
          expect((await storage.sessions.find(s.id))?.revokedAt).toBeInstanceOf(Date);
        }
      });

      it('revokes once and keeps the first revocation time', async () => {
        const s = session({ userId });
        await storage.sessions.create(s);
        expect(await storage.sessions.revoke(s.id, new Date(100), [])).toBe(true);
        expect(await storage.sessions.revoke(s.id, new Date(200), [])).toBe(false);
        expect((await storage.sessions.find(s.id))?.revokedAt).toEqual(new Date(100));
        expect(await storage.sessions.revoke('unknown', new Date(200), [])).toBe(false);
      });

      it('writes a revocation and its events together, and still appends them when the session had ended already', async () => {
        const s = session({ userId });
        await storage.sessions.create(s);
        const far = new Date(Date.now() + 60_000);
        const events = [
          { kind: 'session_revoked' as const, subject: s.id, expiresAt: far },
          { kind: 'refresh_reuse' as const, subject: s.id, expiresAt: new Date(far.getTime() + 1000) },
        ];
        const before = await storage.events.latest();
        expect(await storage.sessions.revoke(s.id, new Date(100), events)).toBe(true);
        expect((await storage.sessions.find(s.id))?.revokedAt).toEqual(new Date(100));
        const written = await storage.events.since(before, 10);
        const byKind = (a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind);
        expect(written.map((e) => e.event).sort(byKind)).toEqual([...events].sort(byKind));
        // Ended already: nothing changes on the row, the event is appended all the same (a racing
        // refresh may have issued an access token that other processes must refuse).
        expect(await storage.sessions.revoke(s.id, new Date(200), events.slice(0, 1))).toBe(false);
        expect((await storage.sessions.find(s.id))?.revokedAt).toEqual(new Date(100));
        expect((await storage.events.since(before, 10)).map((e) => e.event)).toHaveLength(3);
        expect((await storage.events.activeSessionRevocations(new Date())).map((r) => r.sessionId)).toEqual([
          s.id,
          s.id,
        ]);
        expect(await storage.sessions.revoke('unknown', new Date(200), [])).toBe(false);
      });

      it('ends every live session of a user with one session_revoked event each, in the same call', async () => {
        const other = (await storage.users.create({ email: 'other@example.com', password: null })).id;
        const a = session({ userId });
        const b = session({ userId });
        const theirs = session({ userId: other });
        for (const s of [a, b, theirs]) await storage.sessions.create(s);
        const until = new Date(Date.now() + 90_000);
        const before = await storage.events.latest();
        const ended = await storage.sessions.revokeAllForUser(userId, new Date(7), until);
        expect(ended.sort()).toEqual([a.id, b.id].sort());
        const written = (await storage.events.since(before, 10)).map((e) => e.event);
        expect(written.sort((x, y) => x.subject.localeCompare(y.subject))).toEqual(
          ended.map((subject) => ({ kind: 'session_revoked', subject, expiresAt: until })),
        );
        // Nothing left to end: no event either.
        const after = await storage.events.latest();
        expect(await storage.sessions.revokeAllForUser(userId, new Date(8), until)).toEqual([]);
        expect(await storage.events.since(after, 10)).toEqual([]);
      });

      it('concurrent revocations of one session: exactly one ends it, every one of them is announced', async () => {
        const s = session({ userId });
        await storage.sessions.create(s);
        const far = new Date(Date.now() + 60_000);
        const before = await storage.events.latest();
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            storage.sessions.revoke(s.id, new Date(1000 + i), [
              { kind: 'session_revoked', subject: s.id, expiresAt: far },
            ]),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await storage.events.since(before, 20)).toHaveLength(8);
      });

      it('touches last use of a live session only', async () => {
        const s = session({ userId });
        await storage.sessions.create(s);
        await storage.sessions.touch(s.id, new Date(4000));
        expect((await storage.sessions.find(s.id))?.lastUsedAt).toEqual(new Date(4000));
        await storage.sessions.revoke(s.id, new Date(5000), []);
        await storage.sessions.touch(s.id, new Date(6000));
        expect((await storage.sessions.find(s.id))?.lastUsedAt).toEqual(new Date(4000));
      });

      it('lists the live sessions of a user, newest first', async () => {
        const other = (await storage.users.create({ email: 'other@example.com', password: null })).id;
        const old = session({ userId, createdAt: new Date(1000) });
        const newer = session({ userId, createdAt: new Date(3000) });
        const middle = session({ userId, createdAt: new Date(2000) });
        const ended = session({ userId, createdAt: new Date(4000) });
        const expired = session({ userId, createdAt: new Date(5000), expiresAt: new Date(Date.now() - 1) });
        const theirs = session({ userId: other });
        for (const s of [old, newer, middle, ended, expired, theirs]) await storage.sessions.create(s);
        await storage.sessions.revoke(ended.id, new Date(), []);
        expect((await storage.sessions.live(userId, new Date())).map((s) => s.id)).toEqual([
          newer.id,
          middle.id,
          old.id,
        ]);
        expect((await storage.sessions.live(other, new Date())).map((s) => s.id)).toEqual([theirs.id]);
      });

      it('revokes every live session of a user and returns their ids', async () => {
        const other = (await storage.users.create({ email: 'other@example.com', password: null })).id;
        const a = session({ userId });
        const b = session({ userId });
        const ended = session({ userId });
        const theirs = session({ userId: other });
        for (const s of [a, b, ended, theirs]) await storage.sessions.create(s);
        await storage.sessions.revoke(ended.id, new Date(1), []);
        expect(
          (await storage.sessions.revokeAllForUser(userId, new Date(7), new Date(Date.now() + 60_000))).sort(),
        ).toEqual([a.id, b.id].sort());
        expect((await storage.sessions.find(a.id))?.revokedAt).toEqual(new Date(7));
        expect((await storage.sessions.find(ended.id))?.revokedAt).toEqual(new Date(1));
        expect((await storage.sessions.find(theirs.id))?.revokedAt).toBeNull();
        expect(await storage.sessions.revokeAllForUser(userId, new Date(8), new Date(Date.now() + 60_000))).toEqual([]);
      });

      it('deletes expired sessions in batches, all of them', async () => {
        for (let i = 0; i < 1005; i++)
          await storage.sessions.create(session({ userId, expiresAt: new Date(Date.now() - 1000) }));
        const live = session({ userId });
        await storage.sessions.create(live);
        expect(await storage.sessions.deleteExpired(new Date())).toBe(1005);
        expect(await storage.sessions.live(userId, new Date())).toHaveLength(1);
      });

      it('deletes only expired sessions, ended or not', async () => {
        const live = session({ userId });
        const expired = session({ userId, expiresAt: new Date(Date.now() - 1000) });
        const expiredEnded = session({ userId, expiresAt: new Date(Date.now() - 1000) });
        for (const s of [live, expired, expiredEnded]) await storage.sessions.create(s);
        await storage.sessions.revoke(expiredEnded.id, new Date(), []);
        expect(await storage.sessions.deleteExpired(new Date())).toBe(2);
        expect(await storage.sessions.find(live.id)).not.toBeNull();
        expect(await storage.sessions.find(expired.id)).toBeNull();
      });

      it('deletes expired rows beyond one batch (flushexpiredtokens deletes in batches of 1000)', async () => {
        const now = new Date();
        const expired = Array.from({ length: 2345 }, () => session({ userId, expiresAt: new Date(now.getTime() - 1) }));
        for (let i = 0; i < expired.length; i += 200)
          await Promise.all(expired.slice(i, i + 200).map((t) => storage.sessions.create(t)));
        const live = session({ userId });
        await storage.sessions.create(live);
        expect(await storage.sessions.deleteExpired(now)).toBe(2345);
        expect(await storage.sessions.find(expired[2344]!.id)).toBeNull();
        expect(await storage.sessions.find(live.id)).not.toBeNull();
        expect(await storage.sessions.deleteExpired(now)).toBe(0);
      }, 30_000);
    });

    describe('one-time tokens', () => {
      const at = (ms: number) => new Date(ms);
      it('keeps one token per purpose and user: a newer one replaces the older', async () => {
        const user = await storage.users.create({ email: 'a@example.com', password: null });
        expect(await storage.oneTimeTokens.find('password_reset', user.id)).toBeNull();
        await storage.oneTimeTokens.put('password_reset', user.id, { tokenHash: 'aa'.repeat(32), expiresAt: at(5000) });
        await storage.oneTimeTokens.put('password_reset', user.id, { tokenHash: 'bb'.repeat(32), expiresAt: at(6000) });
        await storage.oneTimeTokens.put('email_verification', user.id, {
          tokenHash: 'cc'.repeat(32),
          expiresAt: at(7000),
        });
        expect(await storage.oneTimeTokens.find('password_reset', user.id)).toEqual({
          tokenHash: 'bb'.repeat(32),
          expiresAt: at(6000),
        });
        expect(await storage.oneTimeTokens.find('email_verification', user.id)).toEqual({
          tokenHash: 'cc'.repeat(32),
          expiresAt: at(7000),
        });
      });

      it('consumes a token exactly once, and only with its own hash', async () => {
        const user = await storage.users.create({ email: 'a@example.com', password: null });
        await storage.oneTimeTokens.put('password_reset', user.id, { tokenHash: 'aa'.repeat(32), expiresAt: at(5000) });
        expect(await storage.oneTimeTokens.consume('password_reset', user.id, 'bb'.repeat(32))).toBe(false);
        expect(await storage.oneTimeTokens.consume('email_verification', user.id, 'aa'.repeat(32))).toBe(false);
        const results = await Promise.all(
          [1, 2, 3].map(() => storage.oneTimeTokens.consume('password_reset', user.id, 'aa'.repeat(32))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await storage.oneTimeTokens.find('password_reset', user.id)).toBeNull();
      });

      it('clears one purpose, deletes expired rows, and forgets a deleted user', async () => {
        const a = await storage.users.create({ email: 'a@example.com', password: null });
        const b = await storage.users.create({ email: 'b@example.com', password: null });
        await storage.oneTimeTokens.put('password_reset', a.id, { tokenHash: 'aa'.repeat(32), expiresAt: at(5000) });
        await storage.oneTimeTokens.put('email_verification', a.id, {
          tokenHash: 'cc'.repeat(32),
          expiresAt: at(9000),
        });
        await storage.oneTimeTokens.put('password_reset', b.id, { tokenHash: 'bb'.repeat(32), expiresAt: at(9000) });
        await storage.oneTimeTokens.clear('password_reset', a.id);
        expect(await storage.oneTimeTokens.find('password_reset', a.id)).toBeNull();
        expect(await storage.oneTimeTokens.find('email_verification', a.id)).not.toBeNull();
        await storage.oneTimeTokens.put('password_reset', a.id, { tokenHash: 'aa'.repeat(32), expiresAt: at(5000) });
        expect(await storage.oneTimeTokens.deleteExpired(at(5000))).toBe(1);
        expect(await storage.users.delete(b.id)).toBe(true);
        expect(await storage.oneTimeTokens.find('password_reset', b.id)).toBeNull();
      });
    });

    describe('audit', () => {
      const event = (overrides: Partial<Parameters<Storage['audit']['append']>[0][number]> = {}) => ({
        at: new Date(1_000_000),
        kind: 'login',
        userId: 1,
        email: 'a@example.com',
        ip: '127.0.0.1',
        userAgent: 'ua',
        detail: null,
        ...overrides,
      });

      it('appends in batches and lists newest first with the count of all matches', async () => {
        await storage.audit.append([]);
        await storage.audit.append([
          event({ at: new Date(1000) }),
          event({ at: new Date(3000), kind: 'logout' }),
          event({ at: new Date(2000), userId: 2, email: 'B@example.com' }),
        ]);
        const all = await storage.audit.list({ limit: 2, offset: 0 });
        expect(all.count).toBe(3);
        expect(all.results.map((e) => e.at.getTime())).toEqual([3000, 2000]);
        expect(all.results[0]).toMatchObject({
          kind: 'logout',
          userId: 1,
          email: 'a@example.com',
          ip: '127.0.0.1',
          userAgent: 'ua',
          detail: null,
        });
        expect(typeof all.results[0]!.id).toBe('number');
        expect((await storage.audit.list({ limit: 2, offset: 2 })).results.map((e) => e.at.getTime())).toEqual([1000]);
      });

      it('filters by user, e-mail (case-insensitively), kind and time range', async () => {
        await storage.audit.append([
          event({ at: new Date(1000) }),
          event({ at: new Date(3000), kind: 'logout' }),
          event({ at: new Date(2000), userId: 2, email: 'B@example.com' }),
        ]);
        const times = async (q: Omit<Parameters<Storage['audit']['list']>[0], 'limit' | 'offset'>) =>
          (await storage.audit.list({ ...q, limit: 10, offset: 0 })).results.map((e) => e.at.getTime());
        expect(await times({ userId: 1 })).toEqual([3000, 1000]);
        expect(await times({ email: 'b@EXAMPLE.com' })).toEqual([2000]);
        expect(await times({ kind: 'login' })).toEqual([2000, 1000]);
        expect(await times({ since: new Date(2000), until: new Date(3000) })).toEqual([2000]);
        expect((await storage.audit.list({ kind: 'nothing', limit: 10, offset: 0 })).count).toBe(0);
      });

      it('deletes events older than the retention cut-off', async () => {
        await storage.audit.append([
          event({ at: new Date(1000) }),
          event({ at: new Date(2000) }),
          event({ at: new Date(3000) }),
        ]);
        expect(await storage.audit.deleteBefore(new Date(2000))).toBe(1);
        expect((await storage.audit.list({ limit: 10, offset: 0 })).count).toBe(2);
      });
    });

    describe('events', () => {
      it('appends events with increasing ids and reads them after a cursor', async () => {
        const far = new Date(Date.now() + 60_000);
        const a = await storage.events.append({ kind: 'session_revoked', subject: 's1', expiresAt: far });
        const b = await storage.events.append({ kind: 'user_changed', subject: '7', expiresAt: far });
        expect(b).toBeGreaterThan(a);
        expect(await storage.events.latest()).toBe(b);
        expect(await storage.events.since(a, 10)).toEqual([
          { id: b, event: { kind: 'user_changed', subject: '7', expiresAt: far } },
        ]);
        expect(await storage.events.since(0, 1)).toHaveLength(1);
      });

      it('lists session revocations still in force', async () => {
        const now = new Date();
        await storage.events.append({
          kind: 'session_revoked',
          subject: 'old',
          expiresAt: new Date(now.getTime() - 1),
        });
        await storage.events.append({
          kind: 'session_revoked',
          subject: 'live',
          expiresAt: new Date(now.getTime() + 1000),
        });
        await storage.events.append({ kind: 'user_changed', subject: '1', expiresAt: new Date(now.getTime() + 1000) });
        expect((await storage.events.activeSessionRevocations(now)).map((r) => r.sessionId)).toEqual(['live']);
      });

      it('deletes expired events', async () => {
        const now = new Date();
        await storage.events.append({
          kind: 'session_revoked',
          subject: 'old',
          expiresAt: new Date(now.getTime() - 1),
        });
        await storage.events.append({
          kind: 'session_revoked',
          subject: 'live',
          expiresAt: new Date(now.getTime() + 1000),
        });
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
        expect(await storage.permissions.permissionsOf(a!.id)).toEqual([
          'board.add_post',
          'board.change_post',
          'board.delete_post',
        ]);
        expect(await storage.permissions.userPermissions(a!.id)).toEqual(['board.add_post', 'board.delete_post']);
        expect(await storage.permissions.groupsOf(a!.id)).toEqual([editors]);
        expect(await storage.permissions.permissionsOf(b!.id)).toEqual([]);
        expect(await storage.permissions.listGroups()).toEqual([
          { ...editors, permissions: ['board.add_post', 'board.change_post'] },
        ]);
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

    describe('social accounts', () => {
      const connection = (userId: number, subject: string, provider = 'google') => ({
        userId,
        provider,
        subject,
        email: `${subject}@example.com`,
        createdAt: new Date(1_700_000_000_000),
      });

      it('creates, finds by (provider, subject) and lists a user’s connections oldest first', async () => {
        const user = await storage.users.create({ email: 'kim@example.com', password: null });
        const a = await storage.socialAccounts.create(connection(user.id, 'sub-a'));
        const b = await storage.socialAccounts.create(connection(user.id, 'sub-b', 'github'));
        expect(a).toEqual({
          id: a.id,
          userId: user.id,
          provider: 'google',
          subject: 'sub-a',
          email: 'sub-a@example.com',
          createdAt: new Date(1_700_000_000_000),
        });
        expect(await storage.socialAccounts.find('google', 'sub-a')).toEqual(a);
        expect(await storage.socialAccounts.find('github', 'sub-a')).toBeNull();
        expect(await storage.socialAccounts.listForUser(user.id)).toEqual([a, b]);
      });

      it('refuses a second connection of one (provider, subject), even for another user', async () => {
        const kim = await storage.users.create({ email: 'kim@example.com', password: null });
        const lee = await storage.users.create({ email: 'lee@example.com', password: null });
        await storage.socialAccounts.create(connection(kim.id, 'same'));
        await expect(storage.socialAccounts.create(connection(lee.id, 'same'))).rejects.toBeInstanceOf(
          DuplicateSocialAccountError,
        );
        expect((await storage.socialAccounts.create(connection(lee.id, 'same', 'kakao'))).provider).toBe('kakao');
      });

      it('removes only the owner’s connection and, with keepOne, never the last', async () => {
        const kim = await storage.users.create({ email: 'kim@example.com', password: null });
        const lee = await storage.users.create({ email: 'lee@example.com', password: null });
        const a = await storage.socialAccounts.create(connection(kim.id, 'a'));
        const b = await storage.socialAccounts.create(connection(kim.id, 'b'));
        expect(await storage.socialAccounts.remove(lee.id, a.id, false)).toBe(false);
        expect(await storage.socialAccounts.remove(kim.id, a.id, true)).toBe(true);
        expect(await storage.socialAccounts.remove(kim.id, b.id, true)).toBe(false);
        expect(await storage.socialAccounts.listForUser(kim.id)).toEqual([b]);
        expect(await storage.socialAccounts.remove(kim.id, b.id, false)).toBe(true);
        expect(await storage.socialAccounts.listForUser(kim.id)).toEqual([]);
      });

      it('forgets a deleted user’s connections', async () => {
        const kim = await storage.users.create({ email: 'kim@example.com', password: null });
        await storage.socialAccounts.create(connection(kim.id, 'a'));
        await storage.users.delete(kim.id);
        expect(await storage.socialAccounts.find('google', 'a')).toBeNull();
      });
    });
  });
}
