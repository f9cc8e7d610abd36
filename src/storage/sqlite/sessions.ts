import type { Database } from 'better-sqlite3';
import type { Session, SessionStore } from '../ports.js';
import { FLUSH_BATCH, toSession, toSessionRow, type SessionRow } from '../kysely/rows.js';
import type { GroupCommit } from './group-commit.js';

/**
 * The session store on the embedded SQLite default: prepared statements (prepared once) and
 * group commit for writes. Refresh rotation is on the hot path of every client every few
 * minutes; through Kysely it cost ~400 µs per rotation here, mostly per-statement commits
 * and statement preparation. Same schema and semantics as kysely/sessions.ts; both pass the
 * storage conformance suite.
 */
export function sqliteSessionStore(db: Database, commit: GroupCommit): SessionStore {
  // Prepared on first use: the table exists only once migrations have run.
  let prepared: ReturnType<typeof prepare> | undefined;
  const s = () => (prepared ??= prepare(db));

  return {
    create: (session) =>
      commit.run(() => {
        const full: Session = {
          ...session,
          previousJti: null,
          rotatedAt: null,
          lastUsedAt: session.createdAt,
          revokedAt: null,
        };
        s().insert.run(toSessionRow(full));
      }),
    async find(id) {
      const row = s().byId.get(id) as SessionRow | undefined;
      return row ? toSession(row) : null;
    },
    rotate: (id, fromJti, next, at) =>
      commit.run(
        () =>
          s().rotate.run(next.jti, fromJti, at.getTime(), at.getTime(), next.expiresAt.getTime(), id, fromJti)
            .changes === 1,
      ),
    touch: (id, at) => commit.run(() => void s().touch.run(at.getTime(), id)),
    // The revocation and its events in one unit of the group commit (one savepoint of one
    // transaction): both are written or neither is.
    revoke: (id, at, events) =>
      commit.run(() => {
        const ended = s().revoke.run(at.getTime(), id).changes === 1;
        for (const event of events)
          s().insertEvent.run(event.kind, event.subject, event.expiresAt.getTime(), Date.now());
        return ended;
      }),
    async live(userId, now) {
      return (s().live.all(userId, now.getTime()) as SessionRow[]).map(toSession);
    },
    revokeAllForUser: (userId, at, eventsExpireAt) =>
      commit.run(() => {
        const ids = s().revokeUser.all(at.getTime(), userId) as string[];
        for (const id of ids) s().insertEvent.run('session_revoked', id, eventsExpireAt.getTime(), Date.now());
        return ids;
      }),
    async deleteExpired(now) {
      // In batches, each its own short commit: serving instances wait for at most one batch.
      let total = 0;
      for (;;) {
        const n = await commit.run(() => s().deleteExpired.run(now.getTime(), FLUSH_BATCH).changes);
        total += n;
        if (n < FLUSH_BATCH) return total;
      }
    },
  };
}

function prepare(db: Database) {
  return {
    insert: db.prepare(
      `INSERT INTO sessions (id, user_id, token_type, current_jti, previous_jti, rotated_at, created_at, last_used_at, expires_at, revoked_at, user_agent, ip, credentials_epoch)
       VALUES (@id, @user_id, @token_type, @current_jti, @previous_jti, @rotated_at, @created_at, @last_used_at, @expires_at, @revoked_at, @user_agent, @ip, @credentials_epoch)`,
    ),
    byId: db.prepare('SELECT * FROM sessions WHERE id = ?'),
    // One conditional UPDATE: exactly one of concurrent rotations from one jti matches.
    rotate: db.prepare(
      'UPDATE sessions SET current_jti = ?, previous_jti = ?, rotated_at = ?, last_used_at = ?, expires_at = ? WHERE id = ? AND current_jti = ? AND revoked_at IS NULL',
    ),
    touch: db.prepare('UPDATE sessions SET last_used_at = ? WHERE id = ? AND revoked_at IS NULL'),
    revoke: db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    revokeUser: db
      .prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING id')
      .pluck(),
    insertEvent: db.prepare('INSERT INTO auth_events (kind, subject, expires_at, created_at) VALUES (?, ?, ?, ?)'),
    live: db.prepare(
      'SELECT * FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id DESC',
    ),
    deleteExpired: db.prepare(
      'DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at <= ? LIMIT ?)',
    ),
  };
}
