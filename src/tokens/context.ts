import type { Config } from '../config/schema.js';
import type { Revocation } from '../revocation/revocation.js';
import type { RevocationView } from '../revocation/view.js';
import type { Storage } from '../storage/ports.js';
import type { User } from '../users/types.js';
import type { ClaimNames } from './claims.js';
import type { TokenCodec } from './codec.js';

/** Extra claims for a user's access and sliding tokens; rebuilt from the current user at every issue (simplejwt #33, #705). */
export type CustomClaims = (user: User) => Record<string, unknown>;

/** The default: the access token carries the user's e-mail (the mypage greeting reads it without a query). */
export const defaultCustomClaims: CustomClaims = (user) => ({ email: user.email });

/** What the token operations share. `now` is injectable so tests can freeze the clock. */
export interface TokenContext {
  config: Config;
  names: ClaimNames;
  codec: TokenCodec;
  storage: Storage;
  view: RevocationView;
  /** Ends sessions (reuse, stale credentials) here and in every process. */
  revocation: Revocation;
  customClaims: CustomClaims;
  now: () => number;
}
