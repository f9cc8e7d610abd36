import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';

// Floor for access-token verification: the minimum a correct HS256 verifier
// does with node:crypto alone -- recompute HMAC-SHA256 over header.payload,
// compare in constant time, decode the claims and check exp. (Decoding the
// claims is included because a verifier that does not return them is useless to
// the server; no header/alg checks, no claim validation beyond exp.)

const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

// An access token shaped like doorman's (simplejwt claim names).
export function makeAccessToken(key, lifetimeS = 3600) {
  const iat = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url({
    token_type: 'access',
    exp: iat + lifetimeS,
    iat,
    jti: randomBytes(16).toString('hex'),
    user_id: 1,
  });
  const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export function hmacVerify(token, keyObject) {
  const d1 = token.indexOf('.');
  const d2 = token.lastIndexOf('.');
  const expected = createHmac('sha256', keyObject).update(token.slice(0, d2)).digest();
  const got = Buffer.from(token.slice(d2 + 1), 'base64url');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new Error('bad signature');
  const claims = JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString('utf8'));
  if (!(claims.exp > Date.now() / 1000)) throw new Error('expired');
  return claims;
}

export const TOKEN_POOL = 16384; // power of two, > any verifier cache we know of

// Called inside the micro-benchmark child (lib/micro-child.js).
export async function prepare() {
  const key = randomBytes(48).toString('base64url'); // 64 chars, like DOORMAN_SIGNING_KEY
  const keyObject = createSecretKey(Buffer.from(key)); // imported once, as a server would
  // Distinct tokens, cycled: doorman's fast-jwt verifier caches results
  // (cache: 10_000), so the comparison must use more tokens than it caches.
  const tokens = Array.from({ length: TOKEN_POOL }, () => makeAccessToken(key));
  hmacVerify(tokens[0], keyObject); // fail loudly before measuring
  let i = 0;
  return { op: () => hmacVerify(tokens[i++ & (TOKEN_POOL - 1)], keyObject) };
}

export default {
  name: 'hmac',
  kind: 'micro',
  role: 'floor',
  description: 'node:crypto HS256 verify (HMAC + timingSafeEqual + claims decode)',
  metric: 'us_per_op',
  async run(ctx) {
    const r = await ctx.micro({ module: import.meta.url });
    return { us_per_op: r.us_per_op, ops_per_s: r.ops_per_s };
  },
};
