import type { Config } from '../config/schema.js';

export type TokenType = 'access' | 'refresh' | 'sliding';

/** simplejwt's token class names, used in `messages[].token_class`. */
export const TOKEN_CLASS: Record<TokenType, string> = {
  access: 'AccessToken',
  refresh: 'RefreshToken',
  sliding: 'SlidingToken',
};

/** The claim names in use; simplejwt lets each be renamed (TOKEN_TYPE_CLAIM, JTI_CLAIM, USER_ID_CLAIM, …). */
export interface ClaimNames {
  tokenType: string;
  jti: string;
  userId: string;
  refreshExp: string;
  /** The session (refresh-token family) a token belongs to; lets logout stop its access tokens too. */
  session: 'sid';
}

export function claimNames(config: Config): ClaimNames {
  return {
    tokenType: config.tokenTypeClaim,
    jti: config.jtiClaim,
    userId: config.userIdClaim,
    refreshExp: config.slidingTokenRefreshExpClaim,
    session: 'sid',
  };
}

/** A verified token's payload. */
export type Claims = Record<string, unknown> & { exp: number; iat: number };

/** 32 lowercase hex characters, as simplejwt's uuid4().hex. */
export function newJti(): string {
  return crypto.randomUUID().replaceAll('-', '');
}
