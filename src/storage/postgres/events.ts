import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { pgDriver } from './driver.js';
import type { EventStore } from '../ports.js';
import type { Database } from '../kysely/db.js';
import { insertEvents, kyselyEventStore, type AppendEvents } from '../kysely/events.js';

/** The NOTIFY channel every instance LISTENs on. */
export const EVENTS_CHANNEL = 'doorman_auth_events';

/** Advisory lock key (any fixed bigint) that orders event appends; see appendOrdered. */
export const EVENTS_LOCK_KEY = 0x646f6f72_6d616e31n; // "doorman1"

/**
 * Appends under a transaction-level advisory lock taken BEFORE the ids are drawn from the
 * sequence. Why: readers follow the table with a cursor (`id > last seen`), and PostgreSQL
 * sequence values are handed out at INSERT but become visible at COMMIT, so without the lock
 * id 7 could be read while id 6 is still uncommitted, and the cursor would step past 6 for
 * good. With the lock, the next id is drawn only after the previous appender has committed (a
 * transaction's locks are released after its commit is visible), so ids become visible in
 * order, and a reader that sees id n has every id below n it will ever see. Events are rare
 * (logouts, password changes, deactivations), so serialising their appends costs nothing that
 * matters. Alternatives weighed: re-reading a trailing window (bounded, so a long transaction
 * can still slip past it) and xid8 snapshots (exact but a cursor of two values). The NOTIFY is
 * part of the same transaction, so it is delivered only once the event can be read.
 *
 * `trx` must be a transaction (the lock is held until it ends): the event store's own, or a
 * session revocation's (postgres/sessions.ts), which takes its row locks before this lock, so
 * the lock is held only for the INSERT and the commit.
 */
export const appendOrdered: AppendEvents = async (trx, events) => {
  if (events.length === 0) return [];
  await sql`SELECT pg_advisory_xact_lock(${EVENTS_LOCK_KEY.toString()}::bigint)`.execute(trx);
  const ids = await insertEvents(trx, events);
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${String(Math.max(...ids))})`.execute(trx);
  return ids;
};

export function postgresEventStore(db: Kysely<Database>): EventStore {
  const store = kyselyEventStore(db);
  store.append = (event) =>
    db
      .transaction()
      .execute((trx) => appendOrdered(trx, [event]))
      .then((ids) => ids[0]!);
  return store;
}

/**
 * LISTEN on a dedicated connection (not one of the pool's: a pooled client is handed to
 * queries, and LISTEN belongs to one session). When the connection drops it reconnects with
 * backoff (100 ms doubling to 5 s) and wakes the reader once it is back, so events appended
 * meanwhile are caught up from the table.
 */
export function listenForEvents(
  connectionString: string,
  wake: () => void,
  onError: (error: unknown) => void,
): { close(): Promise<void> } {
  let client: pg.Client | undefined;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (closed) return;
    const delay = Math.min(5000, 100 * 2 ** attempt++);
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
  };

  const connect = async () => {
    if (closed) return;
    const next = new (pgDriver().Client)({ connectionString, connectionTimeoutMillis: 5000, keepAlive: true });
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      if (client === next) client = undefined;
      next.removeAllListeners('notification');
      void next.end().catch(() => {});
      if (!closed) {
        onError(error);
        schedule();
      }
    };
    next.on('error', fail);
    next.on('end', () => fail(new Error('the LISTEN connection to PostgreSQL ended')));
    next.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL) wake();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      fail(error);
      return;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    attempt = 0;
    // Anything appended while we were not listening (start-up, or the outage) is in the table.
    wake();
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = undefined;
      if (current) {
        current.removeAllListeners();
        current.on('error', () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
