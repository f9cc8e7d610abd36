import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CACHE_SIZE, createVerifiedCache, slotKey } from '../../src/tokens/codec.js';

// The verified-token cache on its own (src/tokens/codec.ts): a hit must be the exact token text
// that was verified, never a neighbour sharing its slot, never past exp; the oldest entries go
// first, so a pool of distinct tokens larger than the cache (the bench's) never hits.

const NOW_S = Math.floor(Date.now() / 1000);
const payload = (extra: Record<string, unknown> = {}) => ({
  exp: NOW_S + 300,
  jti: randomBytes(8).toString('hex'),
  ...extra,
});
/** Token-shaped text: a fixed header and payload, a random 43-character signature. */
const token = () => `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${randomBytes(32).toString('base64url')}`;
/** The same slot key, different text: a change outside the characters slotKey reads. */
const neighbour = (t: string) => `X${t.slice(1)}`;

describe('verified-token cache', () => {
  it('returns the payload stored for exactly that token text', () => {
    const cache = createVerifiedCache(0);
    const t = token();
    const p = payload();
    cache.set(t, p);
    expect(cache.get(t)).toBe(p);
    // A copy of the text (another string object) finds it too.
    expect(cache.get(`${t.slice(0, 10)}${t.slice(10)}`)).toBe(p);
    expect(cache.get(token())).toBeUndefined();
  });

  it('never answers a token sharing its slot key with the payload of another', () => {
    const cache = createVerifiedCache(0);
    const a = token();
    const b = neighbour(a);
    expect(slotKey(b)).toBe(slotKey(a));
    const pa = payload({ user_id: 1 });
    cache.set(a, pa);
    expect(cache.get(b)).toBeUndefined();
    const pb = payload({ user_id: 2 });
    cache.set(b, pb);
    expect(cache.get(b)).toBe(pb);
    // b took a's slot: a is a miss now (verified again), never b's claims.
    expect(cache.get(a)).toBeUndefined();
  });

  it('never extends a token past its exp (+ leeway) or before its nbf', () => {
    const cache = createVerifiedCache(0);
    const expired = token();
    cache.set(expired, payload({ exp: NOW_S - 1 }));
    expect(cache.get(expired)).toBeUndefined();
    const early = token();
    cache.set(early, payload({ nbf: NOW_S + 60 }));
    expect(cache.get(early)).toBeUndefined();
    const noExp = token();
    cache.set(noExp, { jti: 'x' });
    expect(cache.get(noExp)).toBeUndefined();

    const lenient = createVerifiedCache(5_000);
    const justExpired = token();
    const p = payload({ exp: NOW_S - 1 });
    lenient.set(justExpired, p);
    expect(lenient.get(justExpired)).toBe(p);
  });

  it('drops the oldest entries first: a pool larger than the cache never hits', () => {
    const cache = createVerifiedCache(0);
    const pool = Array.from({ length: CACHE_SIZE + 2_000 }, token);
    const payloads = pool.map(() => payload());
    // Two passes, as the bench cycles its pool: in the second, every token was pushed out by
    // the CACHE_SIZE tokens after it before it came round again.
    let hits = 0;
    for (let pass = 0; pass < 2; pass++)
      pool.forEach((t, i) => {
        if (cache.get(t) !== undefined) hits++;
        else cache.set(t, payloads[i]!);
      });
    expect(hits).toBe(0);
    // Most recent entries are found (some may have lost their index slot to a later token).
    const recent = pool.slice(-1_000).filter((t) => cache.get(t) !== undefined).length;
    expect(recent).toBeGreaterThan(900);
    const oldest = pool.slice(0, 2_000).filter((t) => cache.get(t) !== undefined).length;
    expect(oldest).toBe(0);
  });
});
