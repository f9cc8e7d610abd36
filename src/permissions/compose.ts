import type { Permission, PermissionSubject } from './types.js';

const needs = (...ps: Permission[]) => ps.some((p) => p.needsModelPermissions === true);

/**
 * DRF's `A & B`: both must allow, before the handler and on the object.
 *
 * @example
 * requirePermission(and(isAuthenticated, isAdminUser))
 */
export function and<O = any>(...ps: Permission<O>[]): Permission<O> {
  if (ps.length === 0) throw new TypeError('and() needs at least one permission');
  return {
    hasPermission: (s) => ps.every((p) => p.hasPermission(s)),
    hasObjectPermission: (s, o) => ps.every((p) => p.hasObjectPermission(s, o)),
    ...(needs(...ps) ? { needsModelPermissions: true } : {}),
  };
}

/**
 * DRF's `A | B`, with the object-level rule DRF 3.14 fixed (encode/django-rest-framework#7522):
 * an operand's object permission only counts when that same operand also allowed the request,
 * so `IsAdminUser | IsOwner` does not let a non-owner through IsAdminUser's default `True`
 * object check.
 *
 * @example
 * checkObjectPermission(request, or(isOwner((p: Post) => p.ownerId), isAdminUser), post)
 */
export function or<O = any>(...ps: Permission<O>[]): Permission<O> {
  if (ps.length === 0) throw new TypeError('or() needs at least one permission');
  const both = (p: Permission<O>, s: PermissionSubject, o: O) => p.hasPermission(s) && p.hasObjectPermission(s, o);
  return {
    hasPermission: (s) => ps.some((p) => p.hasPermission(s)),
    hasObjectPermission: (s, o) => ps.some((p) => both(p, s, o)),
    ...(needs(...ps) ? { needsModelPermissions: true } : {}),
  };
}

/**
 * DRF's `~A`: negates both checks (so `not(isOwner)` denies owners on the object and, as in
 * DRF, denies every request up front because IsOwner's `hasPermission` is `true`).
 *
 * @example
 * requirePermission(not(isAuthenticated)) // e.g. a sign-up page for anonymous users only
 */
export function not<O = any>(p: Permission<O>): Permission<O> {
  return {
    hasPermission: (s) => !p.hasPermission(s),
    hasObjectPermission: (s, o) => !p.hasObjectPermission(s, o),
    ...(needs(p) ? { needsModelPermissions: true } : {}),
  };
}
