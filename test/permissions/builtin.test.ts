import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors/auth-error.js';
import {
  allowAny,
  isAdminUser,
  isAuthenticated,
  isAuthenticatedOrReadOnly,
  isOwner,
  readOnly,
} from '../../src/permissions/builtin.js';
import { assertObjectPermission, assertPermission } from '../../src/permissions/check.js';
import {
  djangoModelPermissions,
  djangoModelPermissionsOrAnonReadOnly,
  djangoObjectPermissions,
} from '../../src/permissions/model.js';
import type { Permission, PermissionSubject } from '../../src/permissions/types.js';
import { user, USERS } from './fixtures.js';

type Who = keyof typeof USERS;
const post = { ownerId: 1 };
const METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const subject = (who: Who, method: string): PermissionSubject => ({ method, user: USERS[who] });

/** Who passes `hasPermission` for each method, as DRF would answer. */
function allowed(p: Permission, method: string): Who[] {
  return (Object.keys(USERS) as Who[]).filter((who) => p.hasPermission(subject(who, method)));
}
const ALL: Who[] = ['anonymous', 'owner', 'other', 'staff', 'superuser', 'editor', 'inactiveSuperuser'];
const USERS_ONLY: Who[] = ALL.filter((w) => w !== 'anonymous');

describe('DRF permission classes, request level', () => {
  it('AllowAny allows everyone for every method', () => {
    for (const m of METHODS) expect(allowed(allowAny, m)).toEqual(ALL);
  });

  it('IsAuthenticated allows every user and no anonymous request', () => {
    for (const m of METHODS) expect(allowed(isAuthenticated, m)).toEqual(USERS_ONLY);
  });

  it('IsAuthenticatedOrReadOnly: anyone reads, only users write', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS']) expect(allowed(isAuthenticatedOrReadOnly, m)).toEqual(ALL);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect(allowed(isAuthenticatedOrReadOnly, m)).toEqual(USERS_ONLY);
  });

  it('IsAdminUser is is_staff, whatever the method', () => {
    for (const m of METHODS) expect(allowed(isAdminUser, m)).toEqual(['staff', 'superuser']);
  });

  it('readOnly allows safe methods only', () => {
    expect(allowed(readOnly, 'GET')).toEqual(ALL);
    expect(allowed(readOnly, 'POST')).toEqual([]);
  });

  it('DjangoModelPermissions: users only; safe methods need nothing; writes need add/change/delete; superuser has all, inactive none', () => {
    const p = djangoModelPermissions('board.post');
    for (const m of ['GET', 'HEAD', 'OPTIONS']) expect(allowed(p, m)).toEqual(USERS_ONLY);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(allowed(p, m)).toEqual(['superuser', 'editor']);
    expect(allowed(p, 'TRACE')).toEqual([]);
  });

  it('DjangoModelPermissions maps each method to its own action', () => {
    const only = (perm: string) => user(9, { permissions: new Set([perm]) });
    const p = djangoModelPermissions('board.post');
    const check = (perm: string, method: string) => p.hasPermission({ method, user: only(perm) });
    expect(check('board.add_post', 'POST')).toBe(true);
    expect(check('board.add_post', 'PUT')).toBe(false);
    expect(check('board.change_post', 'PUT')).toBe(true);
    expect(check('board.change_post', 'PATCH')).toBe(true);
    expect(check('board.change_post', 'DELETE')).toBe(false);
    expect(check('board.delete_post', 'DELETE')).toBe(true);
    expect(check('blog.delete_post', 'DELETE')).toBe(false);
  });

  it('viewOnRead requires view_<model> for GET/HEAD (the common DRF subclass)', () => {
    const p = djangoModelPermissions('board.post', { viewOnRead: true });
    expect(p.hasPermission({ method: 'GET', user: user(9, { permissions: new Set(['board.view_post']) }) })).toBe(true);
    expect(allowed(p, 'GET')).toEqual(['superuser']);
    expect(allowed(p, 'OPTIONS')).toEqual(USERS_ONLY);
  });

  it('DjangoModelPermissionsOrAnonReadOnly: anonymous may read, never write', () => {
    const p = djangoModelPermissionsOrAnonReadOnly('board.post');
    expect(allowed(p, 'GET')).toEqual(ALL);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(allowed(p, m)).toEqual(['superuser', 'editor']);
  });

  it('rejects a malformed model name at definition time', () => {
    expect(() => djangoModelPermissions('post')).toThrow(TypeError);
    expect(() => djangoModelPermissions('Board.Post')).toThrow(TypeError);
  });
});

describe('object level', () => {
  it('IsOwner (the seed): only the owner, never anonymous', () => {
    const p = isOwner((o: typeof post) => o.ownerId);
    for (const m of METHODS) {
      const passing = ALL.filter(
        (who) => p.hasPermission(subject(who, m)) && p.hasObjectPermission(subject(who, m), post),
      );
      expect(passing).toEqual(['owner']);
    }
  });

  it('built-in classes allow every object once the request passed (DRF BasePermission)', () => {
    for (const p of [
      allowAny,
      isAuthenticated,
      isAuthenticatedOrReadOnly,
      isAdminUser,
      djangoModelPermissions('board.post'),
    ]) {
      for (const who of ALL) expect(p.hasObjectPermission(subject(who, 'PUT'), post)).toBe(true);
    }
  });

  it('DjangoObjectPermissions: without an object backend only an active superuser passes writes', () => {
    const p = djangoObjectPermissions('board.post');
    const passing = ALL.filter(
      (who) => p.hasPermission(subject(who, 'PUT')) && p.hasObjectPermission(subject(who, 'PUT'), post),
    );
    expect(passing).toEqual(['superuser']);
    expect(p.hasPermission(subject('anonymous', 'GET'))).toBe(false);
  });

  it('DjangoObjectPermissions consults the object backend, per object', () => {
    const p = djangoObjectPermissions<typeof post>('board.post', {
      objectPermission: (u, perm, o) => perm === 'board.change_post' && o.ownerId === u.id,
    });
    expect(p.hasObjectPermission(subject('owner', 'PATCH'), post)).toBe(true);
    expect(p.hasObjectPermission(subject('editor', 'PATCH'), post)).toBe(false);
  });

  it('DjangoObjectPermissions answers 404 when the user may not even read the object', () => {
    // An object backend that grants on every object what the user holds on the model.
    const p = djangoObjectPermissions('board.post', {
      viewOnRead: true,
      objectPermission: (u, perm) => u.permissions?.has(perm) === true,
    });
    expect(() => p.hasObjectPermission(subject('editor', 'GET'), post)).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(p.hasObjectPermission(subject('editor', 'DELETE'), post)).toBe(true);
    const reader = { method: 'DELETE', user: user(9, { permissions: new Set(['board.view_post']) }) };
    expect(p.hasObjectPermission(reader, post)).toBe(false); // may read, so 403 rather than 404
    const stranger = { method: 'DELETE', user: user(10) };
    expect(() => p.hasObjectPermission(stranger, post)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('denials: 401 for anonymous, 403 for users (DRF permission_denied)', () => {
  const error = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      return e as AuthError;
    }
    throw new Error('expected a denial');
  };

  it('anonymous → not_authenticated', () => {
    const e = error(() => assertPermission(subject('anonymous', 'POST'), [isAuthenticated]));
    expect([e.status, e.code, e.message]).toEqual([
      401,
      'not_authenticated',
      'Authentication credentials were not provided.',
    ]);
  });

  it('a user → permission_denied with DRF message, or the permission’s own message', () => {
    const e = error(() => assertPermission(subject('other', 'GET'), [isAdminUser]));
    expect([e.status, e.code, e.message]).toEqual([
      403,
      'permission_denied',
      'You do not have permission to perform this action.',
    ]);
    const custom = { ...isAdminUser, message: 'Staff only.' };
    expect(error(() => assertPermission(subject('other', 'GET'), [custom])).message).toBe('Staff only.');
  });

  it('the first failing permission of a list decides, as DRF checks them in order', () => {
    const first = { ...isAuthenticated, message: 'first' };
    const second = { ...isAdminUser, message: 'second' };
    expect(error(() => assertPermission(subject('other', 'GET'), [first, second])).message).toBe('second');
    expect(error(() => assertPermission(subject('anonymous', 'GET'), [allowAny, second])).code).toBe(
      'not_authenticated',
    );
  });

  it('object denial: anonymous 401, non-owner 403, owner passes', () => {
    const owner = isOwner((o: typeof post) => o.ownerId);
    expect(error(() => assertObjectPermission(subject('anonymous', 'GET'), [owner], post)).status).toBe(401);
    expect(error(() => assertObjectPermission(subject('other', 'PUT'), [owner], post)).status).toBe(403);
    expect(() => assertObjectPermission(subject('owner', 'PUT'), [owner], post)).not.toThrow();
  });
});
