import { sql, type Kysely } from 'kysely';
import type { OutstandingToken, TokenStore } from '../ports.js';
import type { Database } from '../kysely/db.js';
import { kyselyTokenStore } from '../kysely/tokens.js';
import { Batcher } from './batch.js';

interface Rotation {
  jti: string;
  successor: OutstandingToken;
  at: Date;
}

/** PostgreSQL's deadlock_detected: two batches locked shared rows in opposite orders; nothing happened. */
const isDeadlock = (error: unknown) => (error as { code?: string } | null)?.code === '40P01';

/**
 * The generic Kysely token store, with rotation as ONE statement per batch of concurrent
 * rotations (batch.ts), which is also one transaction: the UPDATE spends each token only if it
 * is unspent (`WHERE jti = … AND revoked_at IS NULL`), and the INSERT records a successor only
 * for the rows that UPDATE returned. Of any number of instances rotating one token at once,
 * PostgreSQL's row lock lets exactly one UPDATE match (the others re-check `revoked_at IS NULL`
 * after the winner commits and match nothing); two rotations of one token inside one batch
 * update the row once, so one of them wins there too. A crash can never leave a spent token
 * without its successor.
 */
export function postgresTokenStore(db: Kysely<Database>): TokenStore {
  const store = kyselyTokenStore(db);

  const rotateMany = async (items: Rotation[]): Promise<boolean[]> => {
    const column = <T>(pick: (r: Rotation) => T) => items.map(pick);
    const statement = sql<{ jti: string }>`
      WITH input AS (
        SELECT * FROM unnest(
          ${column((r) => r.jti)}::text[], ${column((r) => r.successor.jti)}::text[], ${column((r) => r.successor.userId)}::int[],
          ${column((r) => r.successor.sessionId)}::text[], ${column((r) => r.successor.tokenType)}::text[],
          ${column((r) => r.successor.createdAt.getTime())}::bigint[], ${column((r) => r.successor.expiresAt.getTime())}::bigint[],
          ${column((r) => r.at.getTime())}::bigint[]
        ) AS i(old_jti, jti, user_id, family_id, token_type, created_at, expires_at, spent_at)
      ), spent AS (
        UPDATE refresh_tokens r SET revoked_at = i.spent_at
        FROM input i
        WHERE r.jti = i.old_jti AND r.revoked_at IS NULL
        RETURNING i.jti, i.user_id, i.family_id, i.token_type, i.created_at, i.expires_at
      )
      INSERT INTO refresh_tokens (jti, user_id, family_id, token_type, created_at, expires_at, revoked_at)
      SELECT jti, user_id, family_id, token_type, created_at, expires_at, NULL FROM spent
      RETURNING jti`;
    for (let attempt = 0; ; attempt++) {
      try {
        const won = new Set((await statement.execute(db)).rows.map((r) => r.jti));
        return items.map((r) => won.has(r.successor.jti));
      } catch (error) {
        if (isDeadlock(error) && attempt < 3) continue;
        throw error;
      }
    }
  };

  const rotations = new Batcher<Rotation, boolean>(rotateMany);
  store.rotate = (jti, successor, at) => rotations.submit({ jti, successor, at });
  return store;
}
