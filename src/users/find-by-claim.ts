import type { UserStore } from '../storage/ports.js';
import type { User } from './types.js';

/**
 * The user a token's user id claim names: by e-mail under USER_ID_FIELD=email, else by id (a
 * claim that is not a whole number names nobody). One rule for authentication and refresh.
 */
export async function userForClaim(
  users: UserStore,
  userIdField: 'id' | 'email',
  value: number | string,
): Promise<User | null> {
  const key = String(value);
  if (userIdField === 'email') return users.findByEmail(key);
  return /^\d+$/.test(key) ? users.findById(Number(key)) : null;
}
