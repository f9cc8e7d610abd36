import type { OutstandingToken, StoredTokenType } from '../ports.js';

/** Rows flushexpiredtokens deletes per statement: each batch holds its locks only briefly. */
export const FLUSH_BATCH = 1000;

/** A refresh_tokens row as every SQL backend stores it (times in epoch ms). */
export interface TokenRow {
  jti: string;
  user_id: number;
  family_id: string;
  token_type: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export function toToken(row: TokenRow): OutstandingToken {
  return {
    jti: row.jti,
    userId: Number(row.user_id),
    sessionId: row.family_id,
    tokenType: row.token_type as StoredTokenType,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
    revokedAt: row.revoked_at == null ? null : new Date(Number(row.revoked_at)),
  };
}

export function toTokenRow(token: OutstandingToken): TokenRow {
  return {
    jti: token.jti,
    user_id: token.userId,
    family_id: token.sessionId,
    token_type: token.tokenType,
    created_at: token.createdAt.getTime(),
    expires_at: token.expiresAt.getTime(),
    revoked_at: token.revokedAt ? token.revokedAt.getTime() : null,
  };
}
