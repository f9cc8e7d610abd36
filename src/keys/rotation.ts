import type { JwtAlgorithm } from './algorithms.js';
import { newStoredKey, type KeystoreDocument, type StoredKey } from './keystore-file.js';

/**
 * Key rotation as pure operations on a keystore document (the CLI reads and writes the file).
 * The rule they keep: a token is never orphaned. A retired key verifies until every token it
 * could have signed has expired, i.e. `retiredAt` + the longest token lifetime + leeway.
 */

/** The moment a retired key stops verifying, epoch ms; null while it is not retired. */
export function verifiesUntil(key: Pick<StoredKey, 'retiredAt'>, maxLifetimeSeconds: number): number | null {
  return key.retiredAt === null ? null : Date.parse(key.retiredAt) + maxLifetimeSeconds * 1000;
}

/** A new keystore with one active key. */
export function initialKeystore(alg: JwtAlgorithm, now: Date): KeystoreDocument {
  return { keys: [newStoredKey(alg, 'active', now)] };
}

/** Refused: a second `next` key while one is staged (which would the next rotation pick?). */
export class NextKeyExists extends Error {
  override name = 'NextKeyExists';
}

/**
 * Adds a `next` key: published and verifying, not signing until {@link rotateKeys}. Its
 * algorithm is `alg`, or the active key's (a rotation never silently changes the algorithm that
 * JWKS verifiers downstream expect). There is at most one next key: while one is staged this
 * is refused, unless `replace` (the staged key, which has signed nothing, is dropped).
 */
export function addNextKey(
  document: KeystoreDocument,
  alg: JwtAlgorithm | undefined,
  now: Date,
  options: { replace?: boolean } = {},
): { document: KeystoreDocument; key: StoredKey; replaced: StoredKey | null } {
  const staged = document.keys.find((k) => k.status === 'next') ?? null;
  if (staged && !options.replace) {
    throw new NextKeyExists(
      `key ${staged.kid} (${staged.alg}) is already the next key: rotate to it first (doorman keys rotate), or pass --force to replace it`,
    );
  }
  const active = document.keys.find((k) => k.status === 'active')!; // readKeystore requires one
  const key = newStoredKey(alg ?? active.alg, 'next', now);
  return { document: { keys: [...document.keys.filter((k) => k !== staged), key] }, key, replaced: staged };
}

/**
 * Makes the newest `next` key active (or a new key of `alg`, or of the current algorithm, when
 * there is none) and retires the active one, stamping `retiredAt`.
 */
export function rotateKeys(
  document: KeystoreDocument,
  now: Date,
  alg?: JwtAlgorithm,
): { document: KeystoreDocument; active: StoredKey; retired: StoredKey } {
  const current = document.keys.find((k) => k.status === 'active')!;
  const staged = document.keys.filter((k) => k.status === 'next' && (!alg || k.alg === alg)).at(-1);
  const incoming = staged ?? newStoredKey(alg ?? current.alg, 'next', now);
  const retired: StoredKey = { ...current, status: 'retired', retiredAt: now.toISOString() };
  const active: StoredKey = { ...incoming, status: 'active' };
  const others = document.keys.filter((k) => k !== current && k !== staged);
  return { document: { keys: [active, ...others, retired] }, active, retired };
}

export class RetireRefused extends Error {
  override name = 'RetireRefused';
}

/**
 * Removes retired keys whose tokens have all expired (or the one named by `kid`). Refuses to
 * remove the active key, a `next` key, or a retired key still inside its window unless
 * `force` (a compromised key: its tokens must stop now).
 */
export function retireKeys(
  document: KeystoreDocument,
  options: { now: Date; maxLifetimeSeconds: number; kid?: string; force?: boolean },
): { document: KeystoreDocument; removed: StoredKey[] } {
  const { now, maxLifetimeSeconds, kid, force } = options;
  const expired = (k: StoredKey) => k.status === 'retired' && verifiesUntil(k, maxLifetimeSeconds)! <= now.getTime();
  if (kid !== undefined) {
    const key = document.keys.find((k) => k.kid === kid);
    if (!key) throw new RetireRefused(`no key with kid "${kid}"`);
    if (key.status === 'active') throw new RetireRefused(`"${kid}" is the active key; rotate first`);
    if (key.status === 'retired' && !expired(key) && !force) {
      const until = new Date(verifiesUntil(key, maxLifetimeSeconds)!).toISOString();
      throw new RetireRefused(
        `"${kid}" may still have signed unexpired tokens until ${until}; wait, or pass --force to refuse them now`,
      );
    }
    if (key.status === 'next' && !force)
      throw new RetireRefused(`"${kid}" has not signed yet; pass --force to drop it`);
    return { document: { keys: document.keys.filter((k) => k !== key) }, removed: [key] };
  }
  const removed = document.keys.filter(expired);
  return { document: { keys: document.keys.filter((k) => !expired(k)) }, removed };
}
