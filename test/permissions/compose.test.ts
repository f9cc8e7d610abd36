import { describe, expect, it } from 'vitest';
import { isAdminUser, isAuthenticated, isOwner, readOnly } from '../../src/permissions/builtin.js';
import { and, not, or } from '../../src/permissions/compose.js';
import { djangoModelPermissions } from '../../src/permissions/model.js';
import { permission } from '../../src/permissions/types.js';
import { USERS } from './fixtures.js';

type Who = keyof typeof USERS;
const post = { ownerId: 1 };
const owner = isOwner((o: typeof post) => o.ownerId);
const passes = (p: ReturnType<typeof or>, who: Who, method: string) => {
  const s = { method, user: USERS[who] };
  return p.hasPermission(s) && p.hasObjectPermission(s, post);
};
const whoPasses = (p: ReturnType<typeof or>, method: string) =>
  (Object.keys(USERS) as Who[]).filter((w) => passes(p, w, method));

describe('composition as DRF &, |, ~', () => {
  it('and: both must allow, at both levels', () => {
    expect(whoPasses(and(isAuthenticated, owner), 'PUT')).toEqual(['owner']);
    expect(whoPasses(and(isAdminUser, owner), 'PUT')).toEqual([]);
  });

  it('or: either may allow', () => {
    expect(whoPasses(or(owner, isAdminUser), 'PUT')).toEqual(['owner', 'staff', 'superuser']);
    expect(whoPasses(or(readOnly, owner), 'GET')).toEqual(Object.keys(USERS));
    expect(whoPasses(or(readOnly, owner), 'DELETE')).toEqual(['owner']);
  });

  it("or's object check counts an operand only if that operand also allowed the request (DRF 3.14 fix)", () => {
    // Before the fix, IsAdminUser's default has_object_permission=True let any user through
    // `IsAdminUser | IsOwner` at the object level once IsOwner allowed the request.
    const p = or(isAdminUser, owner);
    expect(p.hasPermission({ method: 'PUT', user: USERS.other })).toBe(true);
    expect(p.hasObjectPermission({ method: 'PUT', user: USERS.other }, post)).toBe(false);
  });

  it('or with model permissions: the seed board’s admin override', () => {
    const p = or(owner, isAdminUser, djangoModelPermissions('board.post'));
    expect(whoPasses(p, 'PATCH')).toEqual(['owner', 'staff', 'superuser', 'editor']);
    expect(p.needsModelPermissions).toBe(true);
    expect(or(owner, isAdminUser).needsModelPermissions).toBeUndefined();
  });

  it('not negates both levels', () => {
    expect(whoPasses(not(isAuthenticated), 'GET')).toEqual([]); // object level: !true
    const anonOnly = not(isAuthenticated);
    expect(anonOnly.hasPermission({ method: 'GET', user: null })).toBe(true);
    expect(anonOnly.hasPermission({ method: 'GET', user: USERS.owner })).toBe(false);
    const notOwner = not(owner);
    expect(notOwner.hasPermission({ method: 'GET', user: USERS.other })).toBe(false); // ~True at request level
    expect(notOwner.hasObjectPermission({ method: 'GET', user: USERS.other }, post)).toBe(true);
  });

  it('nests: (A & B) | ~C', () => {
    const banned = permission({ hasPermission: (s) => s.user?.email === 'u2@example.com' });
    const p = or(and(isAuthenticated, owner), not(banned));
    expect(p.hasPermission({ method: 'GET', user: USERS.other })).toBe(true); // isAuthenticated & owner passes at request level
    expect(p.hasObjectPermission({ method: 'GET', user: USERS.other }, post)).toBe(false);
    // ~C at the object level is ~True = False (C's default object check), so only A & B can pass there.
    expect(p.hasObjectPermission({ method: 'GET', user: USERS.staff }, post)).toBe(false);
    expect(p.hasObjectPermission({ method: 'GET', user: USERS.owner }, post)).toBe(true);
  });

  it('refuses empty compositions', () => {
    expect(() => and()).toThrow(TypeError);
    expect(() => or()).toThrow(TypeError);
  });
});
