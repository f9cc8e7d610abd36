import type { Database } from 'better-sqlite3';
import type { OutstandingToken, TokenStore } from '../ports.js';
import { FLUSH_BATCH, toToken, type TokenRow } from '../kysely/rows.js';
import type { GroupCommit } from './group-commit.js';

/**
 * The token store on the embedded SQLite default: prepared statements (prepared once) and
 * group commit for writes. Refresh rotation is on the hot path of every client every few
 * minutes; through Kysely it cost ~400 µs per rotation here, mostly per-statement commits
 * and statement preparation. Same schema and semantics as kysely/tokens.ts; both pass the
 * storage conformance suite.
 */
export function sqliteTokenStore(db: Database, commit: GroupCommit): TokenStore {
  // Prepared on first use: the table exists only once migrations have run.
  let prepared: ReturnType<typeof prepare> | undefined;
  const s = () => (prepared ??= prepare(db));
  const write = (t: OutstandingToken) =>
    s().insert.run(t.jti, t.userId, t.sessionId, t.tokenType, t.createdAt.getTime(), t.expiresAt.getTime(), t.revokedAt ? t.revokedAt.getTime() : null);

  return {
    record: (token) => commit.run(() => void write(token)),
    async find(jti) {
      const row = s().byJti.get(jti) as TokenRow | undefined;
      return row ? toToken(row) : null;
    },
    consume: (jti, at) => commit.run(() => s().consumeOne.run(at.getTime(), jti).changes === 1),
    rotate: (jti, successor, at) =>
      commit.run(() => {
        if (s().consumeOne.run(at.getTime(), jti).changes !== 1) return false;
        write(successor);
        return true;
      }),
    revoke: (jti, at) =>
      commit.run(() => {
        s().consumeOne.run(at.getTime(), jti);
        return s().exists.get(jti) !== undefined;
      }),
    revokeSession: (sessionId, at) => commit.run(() => s().revokeSession.run(at.getTime(), sessionId).changes),
    async liveSessions(userId, now) {
      return s().liveSessions.all(userId, now.getTime()) as string[];
    },
    revokeAllForUser: (userId, at) => commit.run(() => s().revokeUser.run(at.getTime(), userId).changes),
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
      'INSERT INTO refresh_tokens (jti, user_id, family_id, token_type, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    byJti: db.prepare('SELECT * FROM refresh_tokens WHERE jti = ?'),
    consumeOne: db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL'),
    exists: db.prepare('SELECT 1 FROM refresh_tokens WHERE jti = ?').pluck(),
    revokeSession: db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL'),
    revokeUser: db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
    liveSessions: db
      .prepare('SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?')
      .pluck(),
    deleteExpired: db.prepare('DELETE FROM refresh_tokens WHERE jti IN (SELECT jti FROM refresh_tokens WHERE expires_at <= ? LIMIT ?)'),
  };
}
