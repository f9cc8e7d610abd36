import { describe, expect, it } from 'vitest';
import { AuthError, createDoorman, memoryStorage } from '../../src/index.js';
import { testConfig } from '../helpers.js';

// doorman.authenticateNow: the answer itself when no I/O is needed, a promise only when it is,
// and the same answers (and errors) as doorman.authenticate either way.
describe('doorman.authenticateNow', () => {
  it('answers at once for a cached user, with a promise for one not cached yet, and throws AuthErrors at once', async () => {
    const storage = memoryStorage();
    const doorman = createDoorman({ config: testConfig(), storage });
    await doorman.start();
    try {
      const user = await storage.users.create({ email: 'now@example.com', password: null });
      const { access } = await doorman.tokens.issuePair(user);

      const first = doorman.authenticateNow(access);
      expect(first).toBeInstanceOf(Promise); // the user's state is read once
      expect((await first).user.email).toBe('now@example.com');

      const second = doorman.authenticateNow(access);
      expect(second).not.toBeInstanceOf(Promise);
      expect(second).toEqual(await doorman.authenticate(access));

      expect(() => doorman.authenticateNow(`${access}x`)).toThrow(AuthError);
      await expect(doorman.authenticate(`${access}x`)).rejects.toBeInstanceOf(AuthError);
    } finally {
      await doorman.close();
    }
  });
});
