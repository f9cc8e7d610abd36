import type { Session, StoredTokenType } from '../ports.js';

/** Rows flushexpiredtokens deletes per statement: each batch holds its locks only briefly. */
export const FLUSH_BATCH = 1000;

/** A sessions row as every SQL backend stores it (times in epoch ms). */
export interface SessionRow {
  id: string;
  user_id: number;
  token_type: string;
  current_jti: string;
  previous_jti: string | null;
  rotated_at: number | null;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
  user_agent: string | null;
  ip: string | null;
  credentials_epoch: number;
}

const time = (value: number | null) => (value == null ? null : new Date(Number(value)));

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userId: Number(row.user_id),
    tokenType: row.token_type as StoredTokenType,
    currentJti: row.current_jti,
    previousJti: row.previous_jti,
    rotatedAt: time(row.rotated_at),
    createdAt: new Date(Number(row.created_at)),
    lastUsedAt: new Date(Number(row.last_used_at)),
    expiresAt: new Date(Number(row.expires_at)),
    revokedAt: time(row.revoked_at),
    userAgent: row.user_agent,
    ip: row.ip,
    credentialsEpoch: Number(row.credentials_epoch),
  };
}

export function toSessionRow(session: Session): SessionRow {
  return {
    id: session.id,
    user_id: session.userId,
    token_type: session.tokenType,
    current_jti: session.currentJti,
    previous_jti: session.previousJti,
    rotated_at: session.rotatedAt ? session.rotatedAt.getTime() : null,
    created_at: session.createdAt.getTime(),
    last_used_at: session.lastUsedAt.getTime(),
    expires_at: session.expiresAt.getTime(),
    revoked_at: session.revokedAt ? session.revokedAt.getTime() : null,
    user_agent: session.userAgent,
    ip: session.ip,
    credentials_epoch: session.credentialsEpoch,
  };
}
