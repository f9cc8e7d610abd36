import { sql, type Kysely } from 'kysely';
import type { User } from '../../users/types.js';
import type { UserStore } from '../ports.js';
import type { Database } from '../kysely/db.js';
import { kyselyUserStore, toUser } from '../kysely/users.js';
import { Batcher } from './batch.js';

/**
 * The generic Kysely user store. What is PostgreSQL's own: a user created with an explicit id
 * (import-django keeps Django's primary keys) does not move the `serial` sequence, as SQLite's
 * AUTOINCREMENT does, so the next user without one would be handed a taken id. After such an
 * insert the sequence is set past the largest id; GREATEST with nextval keeps it from ever
 * moving back (an id drawn by an insert still in flight is never handed out twice). Lookups by id
 * are batched (batch.ts).
 */
export function postgresUserStore(db: Kysely<Database>): UserStore {
  const store = kyselyUserStore(db);
  const create = store.create.bind(store);
  store.create = async (user) => {
    const created = await create(user);
    if (user.id !== undefined) {
      await sql`SELECT setval(pg_get_serial_sequence('users', 'id'), GREATEST((SELECT max(id) FROM users), nextval(pg_get_serial_sequence('users', 'id'))))`.execute(
        db,
      );
    }
    return created;
  };
  // Lookups by id in one turn (every refresh checks its user is still active) as one SELECT.
  const byIds = new Batcher<number, User | null>(async (ids) => {
    const rows = await db
      .selectFrom('users')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = found.get(id);
      return row ? toUser(row) : null;
    });
  });
  store.findById = (id) => byIds.submit(id);
  return store;
}
