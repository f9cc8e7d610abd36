import type { Kysely } from 'kysely';

/** Rows read per step while turning refresh_tokens into sessions. */
const BATCH = 1000;

/**
 * Sessions replace refresh_tokens (issue 13): one row per session, rotated in place, instead of
 * one row per rotation kept until it expires. Each user gets a credentials epoch that every
 * password change bumps. Plain Kysely schema types only (integer, bigint, varchar), so the same
 * migration runs on SQLite and PostgreSQL.
 *
 * Existing refresh tokens keep working: each family that still has an unexpired token becomes a
 * session whose current jti is its newest usable token (with blacklist-after-rotation there is
 * exactly one), or a revoked session when every token of it was blacklisted. Then
 * refresh_tokens is dropped (forward-only).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('credentials_epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('current_jti', 'varchar(64)', (c) => c.notNull())
    .addColumn('previous_jti', 'varchar(64)')
    .addColumn('rotated_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('user_agent', 'varchar(512)')
    .addColumn('ip', 'varchar(64)')
    .addColumn('credentials_epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

  const now = Date.now();
  let after = '';
  for (;;) {
    // Keyset pages over families, so a large table is never read into memory at once.
    const families = await db
      .selectFrom('refresh_tokens')
      .select('family_id')
      .distinct()
      .where('expires_at', '>', now)
      .where('family_id', '>', after)
      .orderBy('family_id')
      .limit(BATCH)
      .execute();
    if (families.length === 0) break;
    const ids = families.map((f: { family_id: string }) => f.family_id);
    after = ids[ids.length - 1]!;
    const rows = await db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('family_id', 'in', ids)
      .where('expires_at', '>', now)
      .orderBy('created_at')
      .orderBy('jti')
      .execute();
    const sessions = new Map<string, Record<string, unknown>>();
    for (const row of rows) {
      const known = sessions.get(row.family_id);
      const usable = row.revoked_at == null;
      // The newest usable token wins; a family with none is kept as a revoked session.
      if (known && known.revoked_at == null && !usable) continue;
      sessions.set(row.family_id, {
        id: row.family_id,
        user_id: row.user_id,
        token_type: row.token_type,
        current_jti: row.jti,
        previous_jti: null,
        rotated_at: null,
        created_at: known?.created_at ?? row.created_at,
        last_used_at: row.created_at,
        expires_at: row.expires_at,
        revoked_at: usable ? null : row.revoked_at,
        user_agent: null,
        ip: null,
        credentials_epoch: 0,
      });
    }
    if (sessions.size > 0)
      await db
        .insertInto('sessions')
        .values([...sessions.values()])
        .execute();
  }
  await db.schema.dropTable('refresh_tokens').execute();
}
