import { sql, type Kysely } from 'kysely';
import { StorageUnavailableError, type Session, type SessionStore } from '../ports.js';
import type { Database } from '../kysely/db.js';
import { backoff } from '../kysely/guarded-dialect.js';
import { kyselySessionStore } from '../kysely/sessions.js';
import { toSession } from '../kysely/rows.js';
import { Batcher } from './batch.js';
import { appendOrdered } from './events.js';

interface Rotation {
  id: string;
  fromJti: string;
  next: { jti: string; expiresAt: Date };
  at: Date;
}

/** PostgreSQL's deadlock_detected: two batches locked shared rows in opposite orders; nothing happened. */
const isDeadlock = (error: unknown) => (error as { code?: string } | null)?.code === '40P01';

async function retryDeadlocks<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= 3) throw error;
    }
  }
}

/** pg's words for a connection that ended while a query was on it, and PostgreSQL's own (57P01). */
const lostInFlight = (error: unknown) => {
  const cause = (error instanceof StorageUnavailableError ? error.cause : error) as {
    code?: unknown;
    message?: unknown;
  };
  return cause?.code === '57P01' || /Connection terminated unexpectedly/i.test(String(cause?.message ?? ''));
};

/**
 * A rotation whose connection dies after the statement was sent is ambiguous: PostgreSQL may
 * have committed it (the client's old refresh token is then spent, and its retry would count as
 * a reuse and end the session) or not. The statement is idempotent (it installs the same
 * successor, and matches a row already holding it), so it is simply sent again on a fresh
 * connection, with backoff, for up to `retryFor` ms (databaseBusyTimeout): it answers whether
 * the successor is in place, whichever attempt put it there, and exactly once, since only this
 * process knows the successor's jti until it answers. If PostgreSQL stays unreachable the
 * answer is 503, saying when the refresh may have gone through.
 */
async function retryLost<T>(work: () => Promise<T>, retryFor: number): Promise<T> {
  const deadline = Date.now() + retryFor;
  let maybeApplied = false;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      maybeApplied ||= lostInFlight(error);
      if (Date.now() >= deadline) {
        if (!maybeApplied) throw error;
        throw new StorageUnavailableError(
          'The database (PostgreSQL) cannot be reached, and this refresh may have been applied before the connection was lost: if retrying it is refused, sign in again.',
          { cause: error },
        );
      }
      await backoff(attempt);
    }
  }
}

/**
 * The generic Kysely session store, with rotation as ONE statement per batch of concurrent
 * rotations (batch.ts: one commit, one WAL flush, for all of them). Each rotation still spends
 * its token with the conditional UPDATE of the generic store (`WHERE id = … AND current_jti =
 * <presented jti> AND revoked_at IS NULL`): of any number of instances rotating one token at
 * once, PostgreSQL's row lock lets exactly one match (the others re-check the condition after
 * the winner commits and match nothing), and two rotations of one session inside one batch
 * update the row once, so one of them wins there too. The successor (the new current jti) is
 * recorded by that same UPDATE. `retryFor` (ms, databaseBusyTimeout) bounds how long a
 * rotation whose connection was lost is sent again (retryLost).
 */
export function postgresSessionStore(db: Kysely<Database>, retryFor = 5000): SessionStore {
  // Revocations append their events in their own transaction, ordered and NOTIFYed (events.ts).
  const store = kyselySessionStore(db, appendOrdered);
  const { revoke, revokeAllForUser } = store;
  // A revocation locks session rows as a rotation batch does, possibly in the other order.
  store.revoke = (...args) => retryDeadlocks(() => revoke(...args));
  store.revokeAllForUser = (...args) => retryDeadlocks(() => revokeAllForUser(...args));

  const rotateMany = async (items: Rotation[]): Promise<boolean[]> => {
    const column = <T>(pick: (r: Rotation) => T) => items.map(pick);
    // `OR s.current_jti = i.next_jti` makes the statement idempotent, so it can be sent again
    // when the connection died under it (see retryLost); on a first attempt it never matches,
    // the successor being a fresh random jti.
    const statement = sql<{ jti: string }>`
      UPDATE sessions s
      SET current_jti = i.next_jti, previous_jti = i.from_jti, rotated_at = i.at, last_used_at = i.at, expires_at = i.expires_at
      FROM unnest(
        ${column((r) => r.id)}::text[], ${column((r) => r.fromJti)}::text[], ${column((r) => r.next.jti)}::text[],
        ${column((r) => r.at.getTime())}::bigint[], ${column((r) => r.next.expiresAt.getTime())}::bigint[]
      ) AS i(id, from_jti, next_jti, at, expires_at)
      WHERE s.id = i.id AND (s.current_jti = i.from_jti OR s.current_jti = i.next_jti) AND s.revoked_at IS NULL
      RETURNING i.next_jti AS jti`;
    const won = new Set(
      (await retryLost(() => retryDeadlocks(() => statement.execute(db)), retryFor)).rows.map((r) => r.jti),
    );
    return items.map((r) => won.has(r.next.jti));
  };

  const rotations = new Batcher<Rotation, boolean>(rotateMany);
  store.rotate = (id, fromJti, next, at) => rotations.submit({ id, fromJti, next, at });

  // Reads batched the same way: every refresh reads its session first, and under load one
  // SELECT for the sessions asked for in one turn costs PostgreSQL and the pool one round trip
  // instead of one each. A read is sent only after the caller's earlier writes have settled
  // (the domain awaits them), so it sees them.
  const finds = new Batcher<string, Session | null>(async (ids) => {
    const rows = await db
      .selectFrom('sessions')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = byId.get(id);
      return row ? toSession(row) : null;
    });
  });
  store.find = (id) => finds.submit(id);
  return store;
}
