import { describe, expect, it } from 'vitest';
import { RevocationView, type UserState } from '../../src/revocation/view.js';

const state = (id: number): UserState => ({
  id,
  email: `u${id}@example.com`,
  isActive: true,
  isStaff: false,
  isSuperuser: false,
});

describe('RevocationView user cache', () => {
  it('evicts the least recently used user once full (recency kept to within a second)', () => {
    const view = new RevocationView(2, 60_000);
    let now = 1_000_000;
    view.cacheUser('1', state(1), now);
    view.cacheUser('2', state(2), now);
    now += 1_500;
    expect(view.user('1', now)).toEqual(state(1)); // 1 is now the most recent
    view.cacheUser('3', state(3), now);
    expect(view.user('2', now)).toBeUndefined();
    expect(view.user('1', now)).toEqual(state(1));
    expect(view.user('3', now)).toEqual(state(3));
  });

  it('never answers past the TTL, however often the user is read', () => {
    const view = new RevocationView(10, 5_000);
    let now = 1_000_000;
    view.cacheUser('1', state(1), now);
    for (let i = 0; i < 40; i++) {
      now += 100;
      expect(view.user('1', now)).toEqual(state(1));
    }
    now += 1_000; // 5,000 ms after caching
    expect(view.user('1', now)).toBeUndefined();
    expect(view.user('1', now - 1)).toBeUndefined(); // dropped, not just hidden
  });

  it('forgets a user at once when told', () => {
    const view = new RevocationView(10, 60_000);
    view.cacheUser('7', state(7), 0);
    view.forgetUser('7');
    expect(view.user('7', 1)).toBeUndefined();
  });
});
