import type { Config } from '../config/schema.js';
import type { TokenPair } from '../tokens/issue.js';
import { toPublicUser, type User } from '../users/types.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** dj-rest-auth's JWT login/join body: `{access, refresh, user}` (+ expirations when asked). */
export function authBody(config: Config, pair: TokenPair, user: User) {
  return {
    access: pair.access,
    refresh: pair.refresh,
    user: toPublicUser(user),
    ...(config.returnExpiration
      ? { access_expiration: iso(pair.accessExp), refresh_expiration: iso(pair.refreshExp) }
      : {}),
  };
}

export function expirations(config: Config, accessExp: number, refreshExp?: number) {
  if (!config.returnExpiration) return {};
  return { access_expiration: iso(accessExp), ...(refreshExp ? { refresh_expiration: iso(refreshExp) } : {}) };
}
