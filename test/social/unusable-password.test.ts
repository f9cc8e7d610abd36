import { describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../../src/passwords/hash.js';
import { createSocial } from '../../src/social/social.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import { createAccounts } from '../../src/users/accounts.js';

/** A hasher that records the work asked of it. */
function countingHasher() {
  const calls: string[] = [];
  const hasher: PasswordHasher = {
    hash: async (p) => (calls.push('hash'), `$argon2id$v=19$m=1024,t=1,p=1$${p}`),
    verify: async () => (calls.push('verify'), true),
    needsRehash: () => false,
    burn: async () => void calls.push('burn'),
    close: async () => {},
  };
  return { hasher, calls };
}

describe('a social-only user has no usable password', () => {
  it('password login fails for them after one full hash (burn), as for an unknown e-mail, whatever the password', async () => {
    const storage = memoryStorage();
    const social = createSocial({
      accounts: storage.socialAccounts,
      users: storage.users,
      clients: new Map(),
      updateLastLogin: false,
      redirectUris: [],
      secret: 'x'.repeat(32),
      now: () => 0,
    });
    const user = await social.signIn('corp', { subject: 's1', email: 'solo@example.com', emailVerified: true });
    expect(user.password).toBeNull();

    const { hasher, calls } = countingHasher();
    const accounts = createAccounts({
      users: storage.users,
      hasher,
      policy: { validators: [], minLength: 1, maxSimilarity: 0.7 },
      updateLastLogin: false,
      revocation: { userChanged: async () => {}, revokeUserSessions: async () => 0 },
      oneTimeTokens: storage.oneTimeTokens,
      requireVerifiedEmail: false,
      now: () => 0,
    });
    // verify() of this hasher says yes to anything: the null password must never reach it.
    expect(await accounts.authenticate('solo@example.com', 'anything')).toBeNull();
    expect(await accounts.authenticate('nobody@example.com', 'anything')).toBeNull();
    expect(calls).toEqual(['burn', 'burn']);
  });
});
