import { sql, type Kysely } from 'kysely';
import type { TokenStore } from '../ports.js';
import type { Database } from '../kysely/db.js';
import { kyselyTokenStore } from '../kysely/tokens.js';
import { toTokenRow } from '../kysely/rows.js';

/**
 * The generic Kysely token store, with rotation as ONE statement (one round trip, its own
 * transaction): the UPDATE spends the token only if it is unspent, and the INSERT of the
 * successor runs only when that UPDATE returned a row. Of any number of instances rotating
 * one token at once, PostgreSQL's row lock lets exactly one UPDATE match (the others re-check
 * `revoked_at IS NULL` after the winner commits and match nothing), and a crash can never
 * leave a spent token without its successor.
 */
export function postgresTokenStore(db: Kysely<Database>): TokenStore {
  const store = kyselyTokenStore(db);
  store.rotate = async (jti, successor, at) => {
    const row = toTokenRow(successor);
    const result = await sql<{ jti: string }>`
      WITH spent AS (
        UPDATE refresh_tokens SET revoked_at = ${at.getTime()}
        WHERE jti = ${jti} AND revoked_at IS NULL
        RETURNING jti
      )
      INSERT INTO refresh_tokens (jti, user_id, family_id, token_type, created_at, expires_at, revoked_at)
      SELECT ${row.jti}, ${row.user_id}, ${row.family_id}, ${row.token_type}, ${row.created_at}::bigint, ${row.expires_at}::bigint, ${row.revoked_at}::bigint
      FROM spent
      RETURNING jti`.execute(db);
    return result.rows.length === 1;
  };
  return store;
}
